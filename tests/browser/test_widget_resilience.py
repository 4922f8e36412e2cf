"""The widget surviving reloads and dropped connections without losing or doubling messages."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, WebSocketRoute, expect


class Cable:
    """Cuts and restores the customer's websocket the way a flaky network would: the open
    connection dies on both ends and new attempts fail until the network is back."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.up = True
        self.deaf = False
        self.links: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        context.route_web_socket("**/ws/customer", self._connect)

    def _connect(self, page_side: WebSocketRoute) -> None:
        if not self.up:
            page_side.close(code=1011, reason="network down")
            return
        server_side = page_side.connect_to_server()
        # Forwarding by hand lets deafen() lose the server's answers, as a dying link does.
        page_side.on_message(server_side.send)
        server_side.on_message(lambda message: None if self.deaf else page_side.send(message))
        self.links.append((page_side, server_side))

    def deafen(self) -> None:
        """From now on frames still reach the server but its answers are lost."""
        self.deaf = True

    def cut(self) -> None:
        self.up = False
        self.context.set_offline(True)
        for page_side, server_side in self.links:
            server_side.close()
            page_side.close(code=1011, reason="network down")
        self.links.clear()

    def restore(self) -> None:
        self.up = True
        self.deaf = False
        self.context.set_offline(False)


def test_a_reload_keeps_the_conversation_history(customer, shoot):
    customer.start(as_maya=True)
    customer.send_and_wait("Where is my order NW-10001?")
    expect(customer.messages("bot").nth(1)).to_be_visible()
    before = customer.messages().all_inner_texts()
    customer.page.reload()
    customer.chat.get_by_role("log", name="Conversation").wait_for()
    expect(customer.messages()).to_have_count(len(before))
    expect(customer.messages("customer").first).to_contain_text("Where is my order NW-10001?")
    expect(customer.chat.locator("#conn")).to_be_hidden()
    shoot(customer.page, "widget-after-reload")


def test_the_chat_recovers_from_a_dropped_connection_and_marks_what_was_missed(
    customer, make_agent, shoot
):
    agent = make_agent("Gus")
    cable = Cable(customer.page.context)
    customer.start()
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    agent.open(conversation_id)
    expect(customer.speaker()).to_have_text("Gus")
    cable.cut()
    expect(customer.chat.locator("#conn")).to_contain_text("Connection lost")
    shoot(customer.page, "widget-offline")
    agent.send(conversation_id, "Are you still there?")
    expect(agent.chat_log(conversation_id)).to_contain_text("Are you still there?")
    expect(customer.log).not_to_contain_text("Are you still there?")
    cable.restore()
    expect(customer.log.get_by_role("separator")).to_contain_text("While you were away")
    expect(customer.messages("agent").last).to_contain_text("Are you still there?")
    expect(customer.chat.locator("#conn")).to_be_hidden()
    shoot(customer.page, "widget-recovered")


def test_a_message_sent_while_offline_is_delivered_exactly_once(customer, make_agent):
    agent = make_agent("Hana")
    cable = Cable(customer.page.context)
    customer.start()
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    agent.open(conversation_id)
    cable.cut()
    expect(customer.chat.locator("#conn")).to_contain_text("Connection lost")
    customer.send("Sent while my train was in a tunnel")
    expect(customer.log.locator("li.pending")).to_contain_text("will send when you are back online")
    cable.restore()
    expect(customer.log.locator("li.pending")).to_have_count(0)
    agent.send(conversation_id, "Got it")
    expect(customer.messages("agent").last).to_contain_text("Got it")
    log = agent.chat_log(conversation_id)
    expect(
        log.locator("li.from-customer").filter(has_text="Sent while my train was in a tunnel")
    ).to_have_count(1)
    expect(
        customer.messages("customer").filter(has_text="Sent while my train was in a tunnel")
    ).to_have_count(1)


def test_a_message_whose_acknowledgement_was_lost_is_resent_and_stored_once(customer, make_agent):
    agent = make_agent("Ivo")
    cable = Cable(customer.page.context)
    customer.start()
    customer.send("I want to talk to a human")
    conversation_id = customer.conversation_id()
    agent.open(conversation_id)
    cable.deafen()
    customer.send("Did this arrive?")
    log = agent.chat_log(conversation_id)
    expect(log).to_contain_text("Did this arrive?")
    expect(customer.log.locator("li.pending")).to_contain_text("Did this arrive?")
    cable.cut()
    cable.restore()
    expect(customer.log.locator("li.pending")).to_have_count(0)
    expect(customer.messages("customer").filter(has_text="Did this arrive?")).to_have_count(1)
    agent.send(conversation_id, "It did")
    expect(customer.messages("agent").last).to_contain_text("It did")
    expect(log.locator("li.from-customer").filter(has_text="Did this arrive?")).to_have_count(1)
