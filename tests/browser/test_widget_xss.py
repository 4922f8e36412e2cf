"""Text from customers and agents is always shown as text, never run as HTML or script."""

from __future__ import annotations

from playwright.sync_api import Page, expect

PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "<svg onload=window.__xss=1></svg>",
    '"><iframe src="javascript:window.__xss=1"></iframe>',
    '<a href="javascript:window.__xss=1">click me</a>',
    "<style>*{display:none!important}</style>",
    "{{constructor.constructor('window.__xss=1')()}}",
    "&lt;b&gt;already escaped&lt;/b&gt; &amp;",
    "javascript:window.__xss=1//",
]
INJECTED = "img, script:not([src]), svg:not(.sparkline), iframe, a, style"


def assert_inert(page: Page, log_selector: str) -> None:
    for frame in page.frames:
        assert frame.evaluate("typeof window.__xss") == "undefined", f"a payload ran in {frame.url}"
        assert (
            frame.evaluate(
                f"document.querySelectorAll({log_selector!r} + ' :is({INJECTED})').length"
            )
            == 0
        )


def test_payloads_from_the_customer_render_as_text_in_both_pages(customer, make_agent, shoot):
    dialogs: list[str] = []
    agent = make_agent("Lea")
    for page in (customer.page, agent.page):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    customer.start()
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    agent.open(conversation_id)
    for payload in PAYLOADS:
        customer.send_and_wait(payload)
    agent_log = agent.chat_log(conversation_id)
    for payload in PAYLOADS:
        expect(
            customer.messages("customer").locator(".text").filter(has_text=payload).first
        ).to_have_text(payload)
        expect(
            agent_log.locator("li.from-customer .text").filter(has_text=payload).first
        ).to_have_text(payload)
    assert_inert(customer.page, "#log")
    assert_inert(agent.page, ".log")
    assert dialogs == []
    shoot(agent.page, "console-xss-inert")


def test_payloads_from_the_agent_render_as_text_in_both_pages(customer, make_agent, shoot):
    dialogs: list[str] = []
    agent = make_agent("Max")
    for page in (customer.page, agent.page):
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    customer.start()
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    agent.open(conversation_id)
    for payload in PAYLOADS:
        agent.send(conversation_id, payload)
        expect(customer.messages("agent").last.locator(".text")).to_have_text(payload)
    agent_log = agent.chat_log(conversation_id)
    for payload in PAYLOADS:
        expect(
            agent_log.locator("li.from-agent .text").filter(has_text=payload).first
        ).to_have_text(payload)
    assert_inert(customer.page, "#log")
    assert_inert(agent.page, ".log")
    assert dialogs == []
    shoot(customer.page, "widget-xss-inert")
