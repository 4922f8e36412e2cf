"""The console for a day's work: suggested replies, conversations told apart, the keyboard."""

from __future__ import annotations

import json
import re
import urllib.request

from browser_pages import CustomerPage
from playwright.sync_api import expect
from websockets.sync.client import connect

SHIPPING = "Standard shipping takes 3-5 business days"


def handed_over(customer, agent, *, as_maya: bool = False) -> str:
    """A customer who asked for a person, now in the agent's conversations."""
    customer.start(as_maya=as_maya)
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    expect(agent.mine_item(conversation_id)).to_be_visible()
    expect(customer.speaker()).not_to_have_text("Northwind assistant")
    return conversation_id


def second_customer(product, new_context) -> CustomerPage:
    return CustomerPage(new_context().new_page(), product.base_url)


def test_a_suggestion_is_put_in_the_reply_box_and_edited_before_it_is_sent(
    customer, make_agent, product, shoot
):
    agent = make_agent("Gus")
    conversation_id = handed_over(customer, agent)
    agent.open(conversation_id)
    customer.send("How long does shipping take?")
    offered = agent.suggestions(conversation_id)
    expect(offered).to_contain_text("The assistant's answer")
    expect(offered).to_contain_text(SHIPPING)
    shoot(agent.page, "console-suggestions")
    offered.get_by_role("button", name="Use suggestion 1 in the reply box").click()
    box = agent.reply_box(conversation_id)
    expect(box).to_be_focused()
    expect(box).to_have_value(re.compile(f"^{SHIPPING}"))
    expect(customer.messages("agent")).to_have_count(0)  # nothing is sent by the click
    box.press("End")
    box.press_sequentially(" Yours left today.", delay=10)
    box.press("Enter")
    sent = customer.messages("agent").last.locator(".text")
    expect(sent).to_have_text(re.compile(f"^{SHIPPING}.* Yours left today\\.$"))
    with urllib.request.urlopen(f"{product.base_url}/metrics", timeout=5) as response:
        metrics = response.read().decode()
    assert re.search(
        r'handoff_suggestions_used_total\{edited="yes",source="assistant"\} [1-9]', metrics
    )


def test_my_conversations_tell_customers_apart_and_count_unread_messages(
    customer, make_agent, product, new_context, shoot
):
    agent = make_agent("Hal")
    maya = handed_over(customer, agent, as_maya=True)
    other = second_customer(product, new_context)
    guest = handed_over(other, agent)
    expect(agent.mine_item(maya)).to_contain_text("Maya")
    expect(agent.mine_item(guest)).to_contain_text(re.compile(r"Guest \d{4}"))
    guest_name = re.search(r"Guest \d{4}", agent.mine_item(guest).inner_text())
    assert guest_name is not None
    expect(agent.mine_item(guest)).to_contain_text("customer")  # the reason a person is needed
    agent.open(maya)
    other.send("Are you still there?")
    other.send("Hello?")
    item = agent.mine_item(guest)
    expect(item.get_by_label("2 unread")).to_be_visible()
    expect(item).to_contain_text(re.compile(r"customer wrote \d+ s ago"))
    assert agent.mine_order()[0] == guest  # the newest customer message raises it to the top
    expect(agent.mine_item(maya).locator(".count")).to_have_count(0)
    other.input.press_sequentially("one more thing", delay=40)
    expect(item).to_contain_text("typing…")
    shoot(agent.page, "console-conversations")
    agent.open(guest)
    expect(item.locator(".count")).to_have_count(0)
    # The customer card of the conversation names the guest as the list does.
    expect(agent.view(guest).get_by_role("region", name="Customer").locator("h3")).to_have_text(
        guest_name.group(0)
    )


def test_the_keyboard_moves_between_conversations_replies_and_closes(
    customer, make_agent, product, new_context
):
    agent = make_agent("Ida")
    first = handed_over(customer, agent)
    other = second_customer(product, new_context)
    second = handed_over(other, agent)
    agent.open(first)
    page = agent.page
    page.locator("body").press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    for words in (
        "Next conversation",
        "Previous conversation",
        "Focus the reply box",
        "Close the conversation",
    ):
        expect(help_dialog).to_contain_text(words)
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    order = agent.mine_order()
    following = order[(order.index(first) + 1) % len(order)]
    page.keyboard.press("Alt+ArrowDown")
    expect(agent.mine_item(following)).to_have_attribute("aria-current", "true")
    page.keyboard.press("Alt+ArrowUp")
    expect(agent.mine_item(first)).to_have_attribute("aria-current", "true")

    agent.open(second)
    page.keyboard.press("Alt+R")
    box = agent.reply_box(second)
    expect(box).to_be_focused()
    box.press_sequentially("Typed without the mouse", delay=10)
    page.keyboard.press("Control+Enter")
    expect(other.messages("agent").last).to_contain_text("Typed without the mouse")
    page.keyboard.press("Alt+C")
    expect(agent.view(second).get_by_label("Resolution")).to_be_focused()
    agent.view(second).get_by_role("button", name="Close conversation").press("Enter")
    expect(agent.view(second)).to_contain_text("This conversation was closed")


def handed_off_by_websocket(base_url: str) -> str:
    """A customer without a browser who asks for a person: the conversation id."""
    url = base_url.replace("http://", "ws://") + "/ws/customer"
    with connect(url, open_timeout=30) as ws:
        ws.send(json.dumps({"type": "hello"}))
        conversation_id = ""
        sent = False
        while True:
            frame = json.loads(ws.recv(timeout=60))
            if frame["type"] == "welcome":
                conversation_id = frame["conversation_id"]
            elif frame["type"] == "message" and frame["sender"] == "bot" and not sent:
                ws.send(
                    json.dumps({"type": "message", "client_id": "m1", "text": "talk to a person"})
                )
                sent = True
            elif frame["type"] == "event" and frame.get("event") == "queued":
                return str(conversation_id)


def test_ten_open_conversations_stay_listed_reachable_and_in_view(make_agent, product):
    agent = make_agent("Jo")
    ids = [handed_off_by_websocket(product.base_url) for _ in range(10)]
    for conversation_id in ids:
        expect(agent.mine_item(conversation_id)).to_be_visible()
    agent.open(ids[0])
    page = agent.page
    expect(page.get_by_role("heading", name="Queue")).to_be_in_viewport()
    expect(agent.reply_box(ids[0])).to_be_in_viewport()
    visited = set()
    for _ in range(len(agent.mine_order())):
        page.keyboard.press("Alt+ArrowDown")
        current = page.locator('#mine button[aria-current="true"]')
        visited.add(current.get_attribute("data-conversation-id"))
        expect(current).to_be_in_viewport()  # the list scrolls to the open conversation
    assert set(ids) <= visited
