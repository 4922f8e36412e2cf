"""The widget for people who use only a keyboard, a screen reader, or a phone."""

from __future__ import annotations

from browser_pages import PHONE, CustomerPage
from playwright.sync_api import expect


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
