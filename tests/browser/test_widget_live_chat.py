"""A person and a customer talking through the widget and the console."""

from __future__ import annotations

from playwright.sync_api import expect


def handed_over(customer, agent) -> str:
    customer.start()
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    agent.open(conversation_id)
    expect(customer.speaker()).not_to_have_text("Northwind assistant")
    return conversation_id


def test_agent_and_customer_chat_both_ways_with_their_names_shown(customer, make_agent, shoot):
    agent = make_agent("Dana")
    conversation_id = handed_over(customer, agent)
    agent.send(conversation_id, "Hi, I'm Dana. How can I help?")
    from_agent = customer.messages("agent").last
    expect(from_agent.locator(".text")).to_have_text("Hi, I'm Dana. How can I help?")
    expect(from_agent.locator(".author")).to_have_text("Dana")
    customer.send("My parcel never arrived")
    expect(agent.chat_log(conversation_id).locator("li.from-customer").last).to_contain_text(
        "My parcel never arrived"
    )
    shoot(customer.page, "widget-live-chat", chat_only=True)
    shoot(agent.page, "console-live-chat")


def test_each_side_sees_when_the_other_is_typing(customer, make_agent):
    agent = make_agent("Eli")
    conversation_id = handed_over(customer, agent)
    customer.input.press_sequentially("Let me check", delay=30)
    expect(agent.view(conversation_id).get_by_text("is typing")).to_be_visible()
    agent.reply_box(conversation_id).press_sequentially("One moment", delay=30)
    expect(customer.chat.get_by_text("Eli is typing")).to_be_visible()


def test_a_private_note_is_shown_to_agents_and_never_to_the_customer(customer, make_agent):
    agent = make_agent("Fay")
    conversation_id = handed_over(customer, agent)
    notes = agent.view(conversation_id).get_by_role("region", name="Private notes")
    notes.get_by_label("Add a private note").fill("Customer sounds like a repeat buyer")
    notes.get_by_role("button", name="Save note").click()
    expect(notes.get_by_role("listitem")).to_contain_text("Customer sounds like a repeat buyer")
    agent.send(conversation_id, "Checking now")
    expect(customer.messages("agent").last).to_contain_text("Checking now")
    expect(customer.log).not_to_contain_text("repeat buyer")
