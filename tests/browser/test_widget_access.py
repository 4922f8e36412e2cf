"""The widget for people who use only a keyboard, a screen reader, or a phone."""

from __future__ import annotations

import json
import re

from browser_pages import PHONE, CustomerPage
from playwright.sync_api import WebSocketRoute, expect


def focused_id(customer) -> str:
    """The id of the element with keyboard focus inside the chat, or "" if focus is elsewhere."""
    # A frame remembers its last active element after focus leaves it, so ask hasFocus() too.
    return str(
        customer.frame.evaluate(
            "document.hasFocus() && document.activeElement ? document.activeElement.id : ''"
        )
    )


def test_the_chat_can_be_opened_used_and_closed_with_the_keyboard_only(customer, shoot):
    customer.visit()
    keyboard = customer.page.keyboard
    for _ in range(40):
        keyboard.press("Tab")
        if focused_id(customer) == "launcher":
            break
    assert focused_id(customer) == "launcher", "Tab never reached the chat launcher"
    keyboard.press("Enter")
    expect(customer.input).to_be_focused()
    expect(customer.messages("bot").first).to_be_visible()
    greeted = customer.messages("bot").count()
    keyboard.type("Are you a bot?")
    keyboard.press("Enter")
    # The reply's own buttons replace the greeting's: wait for it, or Shift+Tab may land on a
    # greeting button that is about to be removed.
    expect(customer.messages("bot").nth(greeted)).to_contain_text("AI")
    quick_reply = (
        customer.chat.get_by_role("group", name="Suggested replies").get_by_role("button").first
    )
    expect(quick_reply).to_be_visible()
    keyboard.press("Shift+Tab")
    expect(quick_reply).to_be_focused()
    outline = quick_reply.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline != "none", "the focused quick reply shows no focus ring"
    shoot(customer.page, "widget-keyboard-focus")
    keyboard.press("Escape")
    expect(customer.chat.locator("#panel")).to_be_hidden()
    assert focused_id(customer) == "launcher"


def in_suggested_replies(customer) -> bool:
    """True when keyboard focus is on one of the suggested-reply buttons."""
    return bool(customer.frame.evaluate("document.activeElement.closest('#quick') !== null"))


def test_picking_a_suggested_reply_with_the_keyboard_leaves_focus_in_the_message_box(customer):
    customer.start()
    suggestions = customer.chat.get_by_role("group", name="Suggested replies")
    expect(suggestions.get_by_role("button").first).to_be_visible()
    customer.input.focus()
    customer.page.keyboard.press("Shift+Tab")
    assert in_suggested_replies(customer), "Shift+Tab from the message box missed the suggestions"
    greeted = customer.messages("bot").count()
    customer.page.keyboard.press("Enter")
    # The picked button is gone at once; the keyboard user carries on typing, not from the page.
    expect(customer.input).to_be_focused()
    expect(customer.messages("bot")).to_have_count(greeted + 1)
    expect(customer.input).to_be_focused()


def test_focus_on_suggestions_that_go_away_moves_to_the_message_box(customer):
    """The customer is on a suggested reply when their own message, stored, takes it away."""
    held: list[str | bytes] = []
    sockets: list[WebSocketRoute] = []
    holding = {"on": False}

    def route(page_side: WebSocketRoute) -> None:
        server = page_side.connect_to_server()
        sockets.append(page_side)

        def to_page(frame: str | bytes) -> None:
            if holding["on"]:
                held.append(frame)
            else:
                page_side.send(frame)

        server.on_message(to_page)

    customer.page.context.route_web_socket(re.compile(r"/ws/customer"), route)
    customer.start()
    suggestions = customer.chat.get_by_role("group", name="Suggested replies")
    expect(suggestions.get_by_role("button").first).to_be_visible()
    holding["on"] = True
    customer.send("Are you a bot?")
    # Until the service has stored the message and the assistant has answered, all held back.
    for _ in range(300):
        if any(
            json.loads(f).get("type") == "message" and json.loads(f).get("sender") == "bot"
            for f in held
        ):
            break
        customer.page.wait_for_timeout(50)
    else:
        raise AssertionError(f"the assistant's answer never reached the route: {held}")
    customer.page.keyboard.press("Shift+Tab")
    assert in_suggested_replies(customer), "the greeting's suggestions were not on screen"
    holding["on"] = False
    for frame in held:
        sockets[-1].send(frame)
    expect(customer.messages("bot").last).to_contain_text("AI")
    expect(customer.input).to_be_focused()


def test_new_messages_are_announced_to_screen_readers(customer):
    customer.start()
    expect(customer.log).to_have_attribute("aria-live", "polite")
    customer.send_and_wait("Are you a bot?")
    # Messages are added inside the live region, so assistive technology reads them out.
    expect(customer.log.locator("li.msg.from-bot").last).to_contain_text("AI")


def test_the_chat_fills_a_phone_screen_without_sideways_scrolling(product, new_context, shoot):
    customer = CustomerPage(new_context(PHONE).new_page(), product.base_url)
    customer.start()
    box = customer.page.locator("iframe[data-northwind-chat]").bounding_box()
    assert box is not None
    assert (box["x"], box["y"], box["width"], box["height"]) == (
        0,
        0,
        PHONE["width"],
        PHONE["height"],
    )
    expect(customer.input).to_be_in_viewport()
    assert customer.frame.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    shoot(customer.page, "widget-phone")
