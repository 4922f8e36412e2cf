"""Handing a conversation to a person: the triggers, the queue, and the context the agent gets."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_asking_for_a_person_hands_over_with_the_full_context(customer, make_agent, shoot):
    agent = make_agent("Ana")
    customer.start(as_maya=True)
    customer.send_and_wait("Where is my order NW-10001?")
    customer.send("I want to talk to a human")
    view = agent.open(customer.conversation_id())
    expect(view.locator(".banner")).to_contain_text("Customer asked for a person")
    expect(view.locator(".banner .tier")).not_to_be_empty()
    summary = view.get_by_role("region", name="Summary").locator(".summary-text")
    expect(summary).to_contain_text('"Where is my order NW-10001?"')
    expect(summary).to_contain_text("Needs a person: the customer asked for a person")
    expect(view.get_by_role("region", name="Customer").locator(".verified.ok")).to_contain_text(
        "Verified"
    )
    expect(view.get_by_role("region", name="Facts")).to_contain_text("NW-10001")
    transcript = agent.chat_log(customer.conversation_id())
    expect(transcript).to_contain_text("Where is my order NW-10001?")
    expect(transcript).to_contain_text("I want to talk to a human")
    expect(customer.log.locator("li.event").filter(has_text="Ana")).to_be_visible()
    expect(customer.speaker()).to_have_text("Ana")
    expect(customer.chat.locator("#speaker-kind")).to_have_text("Person")
    shoot(agent.page, "console-context-request")
    shoot(customer.page, "widget-agent-joined", chat_only=True)


def test_an_angry_message_hands_over_for_negative_sentiment(customer, make_agent, shoot):
    agent = make_agent("Ben")
    customer.start()
    customer.send("This is absolutely terrible, I am furious, worst service ever")
    view = agent.open(customer.conversation_id())
    banner = view.locator(".banner")
    expect(banner).to_contain_text("Negative sentiment")
    expect(banner.locator(".trigger-sentence")).to_have_text(
        re.compile(r"^Customer sentiment −\d\.\d\d crossed the −\d\.\d\d handoff threshold\.$")
    )
    expect(view.get_by_role("region", name="Sentiment")).to_contain_text("Trend:")
    expect(agent.chat_log(customer.conversation_id())).to_contain_text("I am furious")
    shoot(agent.page, "console-context-sentiment")


def test_a_waiting_customer_sees_the_queue_position_and_the_agent_can_claim(
    customer, make_agent, shoot
):
    agent = make_agent("Cleo", available=False)
    customer.start()
    customer.chat.locator("header").get_by_role("button", name="Talk to a person").click()
    expect(customer.chat.locator("#queue-text")).to_contain_text(re.compile(r"number \d+ in line"))
    conversation_id = customer.conversation_id()
    item = agent.queue_item(conversation_id)
    expect(item.locator(".tier")).not_to_be_empty()
    expect(item.locator(".priority")).to_contain_text(re.compile(r"P\d"))
    expect(item.locator(".wait")).to_contain_text("waiting")
    expect(agent.page).to_have_title(re.compile(r"^\(\d+\) Northwind agent console$"))
    shoot(customer.page, "widget-queue", chat_only=True)
    shoot(agent.page, "console-queue")
    agent.claim(conversation_id)
    expect(customer.speaker()).to_have_text("Cleo")
    expect(customer.chat.locator("#queue")).to_be_hidden()


def test_with_no_agent_online_the_customer_can_leave_a_contact(customer, shoot):
    customer.start()
    customer.send("I want to talk to a human")
    form = customer.chat.get_by_role("form", name="No one is available right now")
    form.get_by_label("Name").fill("Maya Chen")
    form.get_by_label("Email").fill("maya.chen@example.com")
    form.get_by_label("What is it about?").fill("My parcel is late")
    shoot(customer.page, "widget-leave-contact")
    form.get_by_role("button", name="Send contact").click()
    expect(customer.chat.get_by_text("Thanks, we will get back to you.")).to_be_visible()
    expect(customer.log.locator("li.event-contact_saved")).to_be_visible()
