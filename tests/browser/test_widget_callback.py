"""A customer who asks to be called back is asked for a phone number; the console shows who is
online and the languages they speak."""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_customer_who_asks_to_be_called_back_must_leave_a_phone_number(customer):
    customer.start()
    customer.send("can someone call me back please")
    form = customer.chat.get_by_role("form", name="We will call you back")
    expect(form).to_contain_text("Leave your phone number")
    form.get_by_label("Name").fill("Maya Chen")
    form.get_by_label("Email (optional)").fill("maya.chen@example.com")
    form.get_by_role("button", name="Send contact").click()
    expect(form.get_by_role("alert")).to_have_text(
        "Please give a phone number to call you back on."
    )
    form.get_by_label("Phone").fill("+44 20 7946 0103")
    form.get_by_role("button", name="Send contact").click()
    expect(customer.log.locator("li.event-contact_saved")).to_be_visible()


def test_the_console_lists_who_is_online_with_the_languages_they_speak(make_agent):
    agent = make_agent("Rosa")
    roster = agent.page.locator("#roster")
    entry = roster.locator("li").filter(has_text="Rosa")
    expect(entry.locator(".roster-languages")).to_have_text("EN")
    agent.set_available(False)
    expect(entry).to_contain_text("(away)")
