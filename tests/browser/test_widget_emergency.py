"""Imminent danger in the browser: the customer reads the safety message before the handoff
notice, and the console shows the emergency marked and first, ahead of an older handoff."""

from __future__ import annotations

from playwright.sync_api import expect

DANGER = "The space heater I bought from you is smoking and sparking right now"


def test_the_emergency_is_marked_and_first_in_the_console_and_safety_comes_first(
    customer, new_context, product, make_agent, shoot
):
    from browser_pages import CustomerPage

    agent = make_agent("Dee", available=False)
    older = CustomerPage(new_context().new_page(), product.base_url)
    older.start()
    older.send("I want to talk to a human")
    expect(agent.queue_item(older.conversation_id())).to_be_visible()

    customer.start()
    customer.send(DANGER)
    safety = customer.messages("bot").filter(has_text="local emergency number")
    expect(safety).to_have_count(1)
    queued = customer.log.locator("li.event-queued")
    expect(queued).to_have_count(1)
    # The safety message comes before the handoff notice in the conversation.
    items = customer.log.locator("li")
    texts = items.all_inner_texts()
    safety_at = next(i for i, t in enumerate(texts) if "local emergency number" in t)
    queued_at = next(i for i, t in enumerate(texts) if "in the queue for a person" in t)
    assert safety_at < queued_at
    shoot(customer.page, "widget-emergency", chat_only=True)

    fire = agent.queue_item(customer.conversation_id())
    expect(fire.locator(".emergency-mark")).to_have_text("EMERGENCY — customer may be in danger")
    expect(fire.locator(".tier")).to_have_text("emergency")
    expect(fire.locator(".priority")).to_have_text("P0")
    queue = agent.page.locator("#queue li.queue-item")
    ids = [queue.nth(i).get_attribute("data-conversation-id") for i in range(queue.count())]
    assert ids.index(customer.conversation_id()) < ids.index(older.conversation_id())
    expect(queue.first.locator(".emergency-mark")).to_be_visible()
    shoot(agent.page, "console-emergency-queue")

    view = agent.claim(customer.conversation_id())
    expect(view.locator(".banner .emergency-mark")).to_contain_text("EMERGENCY")
    expect(view.locator(".banner")).to_contain_text("imminent danger: smoke and sparks")
    shoot(agent.page, "console-emergency-banner")


def test_with_no_agent_online_an_emergency_says_what_happens_next_and_takes_an_urgent_contact(
    customer, shoot
):
    customer.start()
    customer.send(DANGER)
    expect(customer.messages("bot").filter(has_text="local emergency number").first).to_be_visible()
    expect(
        customer.messages("bot").filter(has_text="We have marked your case urgent")
    ).to_be_visible()
    form = customer.chat.get_by_role("form", name="Urgent: no one is available right now")
    expect(form).to_contain_text("local emergency number")
    form.get_by_label("Name").fill("Maya Chen")
    form.get_by_label("Phone").fill("+44 20 7946 0103")
    shoot(customer.page, "widget-emergency-nobody", chat_only=True)
    form.get_by_role("button", name="Send contact").click()
    expect(customer.log.locator("li.event-contact_saved")).to_be_visible()
