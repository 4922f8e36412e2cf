"""The customer widget with the assistant alone: the AI disclosure, answers and quick replies."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_the_chat_says_it_is_an_ai_assistant_before_the_first_exchange(customer, shoot):
    customer.start()
    expect(customer.log.get_by_text("You are chatting with an AI assistant")).to_be_visible()
    expect(customer.chat.locator("#speaker-kind")).to_have_text("AI")
    greeting = customer.messages("bot").first
    expect(greeting.locator(".author")).to_contain_text("AI")
    expect(customer.messages("customer")).to_have_count(0)
    shoot(customer.page, "widget-greeting")


def test_a_routine_order_question_is_answered_by_the_assistant(customer, shoot):
    customer.start(as_maya=True)
    bot_before = customer.messages("bot").count()
    customer.send("Where is my order NW-10001?")
    answer = customer.messages("bot").nth(bot_before)
    # Maya is signed in, so the assistant answers without asking for the order's email.
    expect(answer.locator(".text")).to_contain_text(re.compile(r"shipped", re.I))
    expect(answer.locator(".author")).to_contain_text("AI")
    expect(customer.speaker()).to_have_text("Northwind assistant")
    # Nobody was brought in; the one event is the request to rate the assistant, whose goal
    # was met, and it does not stop the chat.
    expect(customer.log.locator("li.event:not(.event-csat_request)")).to_have_count(0)
    rating = customer.chat.get_by_role("form", name="How helpful was the assistant?")
    expect(rating).to_be_visible()
    expect(customer.input).to_be_enabled()
    shoot(customer.page, "widget-routine-answer")
    rating.get_by_role("button", name="No thanks").click()
    expect(rating).to_have_count(0)
    expect(customer.input).to_be_focused()


def test_a_quick_reply_from_the_assistant_is_a_button_that_answers_for_the_customer(
    customer, make_agent
):
    agent = make_agent("Quinn")
    customer.start()
    customer.send("Are you a bot?")
    quick = customer.chat.get_by_role("group", name="Suggested replies")
    quick.get_by_role("button", name="Talk to a person").click()
    expect(customer.messages("customer").last.locator(".text")).to_have_text("Talk to a person")
    expect(quick.get_by_role("button")).to_have_count(0)
    agent.open(customer.conversation_id())
    expect(customer.speaker()).to_have_text("Quinn")
