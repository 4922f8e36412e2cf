"""How a person's part ends: handing back to the assistant, or closing with a rating."""

from __future__ import annotations

import json
import sqlite3
import time

from playwright.sync_api import expect


def handed_over(customer, agent) -> str:
    customer.start()
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    agent.open(conversation_id)
    return conversation_id


def test_handing_back_returns_the_customer_to_the_assistant_and_says_so(
    customer, make_agent, shoot
):
    agent = make_agent("Jo")
    conversation_id = handed_over(customer, agent)
    expect(customer.speaker()).to_have_text("Jo")
    tool = agent.use_tool(conversation_id, "Hand back to the assistant")
    tool.get_by_label("Outcome note").fill("Address updated to 5 Elm St")
    tool.get_by_role("button", name="Hand back to the assistant").click()
    expect(customer.speaker()).to_have_text("Northwind assistant")
    expect(customer.chat.locator("#speaker-kind")).to_have_text("AI")
    expect(customer.log.locator("li.event-handed_back")).to_be_visible()
    expect(agent.view(conversation_id).locator("p.status")).to_contain_text("handed back")
    expect(agent.reply_box(conversation_id)).to_be_disabled()
    shoot(customer.page, "widget-handed-back")


def test_closing_asks_the_customer_to_rate_the_conversation(customer, make_agent, shoot):
    agent = make_agent("Kai")
    conversation_id = handed_over(customer, agent)
    tool = agent.use_tool(conversation_id, "Close with a resolution")
    tool.get_by_label("Resolution").select_option("resolved")
    tool.get_by_role("button", name="Close conversation").click()
    rating = customer.chat.get_by_role("form", name="How did we do?")
    expect(rating).to_be_visible()
    shoot(customer.page, "widget-csat", chat_only=True)
    rating.get_by_text("4").click()
    rating.get_by_label("Anything to add?").fill("Quick and friendly")
    rating.get_by_role("button", name="Send rating").click()
    expect(customer.chat.get_by_text("Thank you for your rating!")).to_be_visible()
    expect(customer.log.locator("li.event-error")).to_have_count(0)
    expect(agent.view(conversation_id).locator("p.status")).to_contain_text("closed")
    shoot(agent.page, "console-closed")


def test_a_transfer_moves_the_conversation_and_its_note_to_the_other_agent(customer, make_agent):
    first = make_agent("Lou")
    conversation_id = handed_over(customer, first)
    second = make_agent("Mia")
    tool = first.use_tool(conversation_id, "Transfer")
    tool.get_by_label("or to an agent").fill(second.username)
    tool.get_by_label("Note for the next agent").fill("Wants a refund, order NW-10001")
    tool.get_by_role("button", name="Transfer").click()
    expect(first.view(conversation_id).locator("p.status")).to_contain_text("transferred")
    view = second.open(conversation_id)
    expect(view.get_by_role("region", name="Private notes")).to_contain_text(
        "Wants a refund, order NW-10001"
    )
    expect(customer.speaker()).to_have_text("Mia")


def test_at_close_the_agent_says_what_the_customer_wanted_and_marks_a_message(
    customer, make_agent, product, shoot
):
    """The label reaches the store, ready for `make review`."""
    agent = make_agent("Lee")
    conversation_id = handed_over(customer, agent)
    customer.send("the box came crushed")
    expect(agent.chat_log(conversation_id)).to_contain_text("the box came crushed")
    tool = agent.use_tool(conversation_id, "Close with a resolution")
    wanted = tool.get_by_label("What the customer actually wanted")
    wanted.fill("Start Return")
    tool.get_by_label("the box came crushed").check()
    tool.get_by_role("button", name="Close conversation").click()
    expect(tool.get_by_role("alert")).to_contain_text("lowercase letters")
    wanted.fill("start_return")
    shoot(agent.page, "console-close-label")
    tool.get_by_role("button", name="Close conversation").click()
    expect(agent.view(conversation_id).locator("p.status")).to_contain_text("closed")
    db = product.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT intent, misunderstood FROM nlu_labels WHERE conversation_id = ?",
            (conversation_id,),
        ).fetchall()
    [(intent, misunderstood)] = rows
    assert intent == "start_return" and len(json.loads(misunderstood)) == 1


def test_the_customer_rates_the_assistant_at_the_handoff_and_the_person_after_close(
    customer, make_agent, product, shoot
):
    """Both ratings by keyboard, each stored with its part."""
    agent = make_agent("Noa")
    conversation_id = handed_over(customer, agent)
    assistant = customer.chat.get_by_role("form", name="How helpful was the assistant?")
    expect(assistant).to_be_visible()
    # It does not block the chat: the customer can still write to the person.
    customer.send("thanks, waiting")
    expect(agent.chat_log(conversation_id)).to_contain_text("thanks, waiting")
    shoot(customer.page, "widget-rate-assistant", chat_only=True)
    assistant.get_by_role("radio", name="3 – Somewhat helpful").focus()
    customer.page.keyboard.press("ArrowRight")
    expect(assistant.get_by_role("radio", name="4 – Helpful")).to_be_checked()
    customer.page.keyboard.press("Tab")
    expect(assistant.get_by_role("button", name="Send")).to_be_focused()
    customer.page.keyboard.press("Enter")
    expect(customer.chat.get_by_text("Thanks for rating the assistant.")).to_be_visible()
    expect(assistant).to_have_count(0)

    tool = agent.use_tool(conversation_id, "Close with a resolution")
    tool.get_by_label("Resolution").select_option("resolved")
    tool.get_by_role("button", name="Close conversation").click()
    person = customer.chat.get_by_role("form", name="How did we do?")
    expect(person).to_be_visible()
    person.get_by_text("5", exact=True).click()
    person.get_by_role("button", name="Send rating").click()
    expect(customer.chat.get_by_text("Thank you for your rating!")).to_be_visible()
    expect(customer.log.locator("li.event-error")).to_have_count(0)

    db = product.database_url.removeprefix("sqlite:///")
    rows: list[tuple[str, int, str | None]] = []
    for _ in range(50):
        with sqlite3.connect(db) as connection:
            rows = connection.execute(
                "SELECT part, score, agent_id FROM csat WHERE conversation_id = ?"
                " ORDER BY created_at",
                (conversation_id,),
            ).fetchall()
        if len(rows) == 2:
            break
        time.sleep(0.1)
    assert rows == [("assistant", 4, None), ("person", 5, agent.username)]
