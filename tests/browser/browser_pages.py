"""Page objects for the browser tests: the demo store with its embedded chat, and the agent
console. They find things the way a person would (roles, labels, visible text) so the tests
also check that the pages are labelled for assistive technology."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import Frame, FrameLocator, Locator, Page, expect

CHAT_STORAGE_KEY = "northwind-chat.v1"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 700}


class CustomerPage:
    """The demo store page at `/` and the chat inside its iframe."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url

    @property
    def chat(self) -> FrameLocator:
        return self.page.frame_locator("iframe[data-northwind-chat]")

    @property
    def frame(self) -> Frame:
        for frame in self.page.frames:
            if frame.url.endswith("/widget/frame.html"):
                return frame
        raise AssertionError("the chat iframe is not on the page")

    def visit(self, *, as_maya: bool = False) -> None:
        self.page.goto(self.base_url + "/")
        # Several pages are open at once; focus checks need this one to be the active tab.
        self.page.bring_to_front()
        expect(self.chat.get_by_role("button", name="Chat with us")).to_be_visible()
        if as_maya:
            self.page.get_by_label("Signed in as Maya").check()
            expect(self.page.get_by_text("You are signed in as Maya")).to_be_visible()

    def open_chat(self) -> None:
        self.chat.get_by_role("button", name="Chat with us").click()
        expect(self.input).to_be_focused()

    def start(self, *, as_maya: bool = False) -> None:
        """Visits the store, opens the chat and waits for the assistant's greeting."""
        self.visit(as_maya=as_maya)
        self.open_chat()
        expect(self.messages("bot").first).to_be_visible()

    @property
    def input(self) -> Locator:
        return self.chat.get_by_label("Your message")

    @property
    def log(self) -> Locator:
        return self.chat.get_by_role("log", name="Conversation")

    def messages(self, sender: str | None = None) -> Locator:
        return self.log.locator(f"li.msg.from-{sender}" if sender else "li.msg")

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def send_and_wait(self, text: str) -> None:
        """Sends a message and waits until the server stored it (it loses its 'pending' look)."""
        count = self.messages("customer").count()
        self.send(text)
        expect(self.log.locator("li.msg.from-customer:not(.pending)")).to_have_count(count + 1)

    def stored(self) -> dict[str, Any]:
        raw = self.frame.evaluate(f"localStorage.getItem({json.dumps(CHAT_STORAGE_KEY)})")
        return json.loads(raw) if raw else {}

    def conversation_id(self) -> str:
        conversation_id = self.stored().get("conversationId")
        assert conversation_id, "the chat has no conversation yet"
        return str(conversation_id)

    def speaker(self) -> Locator:
        return self.chat.locator("#speaker")


class AgentConsole:
    """The agent console at `/agent`."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.username = ""

    def login(self, username: str, password: str) -> None:
        self.page.goto(self.base_url + "/agent")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.bring_to_front()
        expect(self.page.get_by_role("status").filter(has_text="Online")).to_be_visible()

    def set_available(self, available: bool) -> None:
        button = self.page.locator("#available")
        if (button.get_attribute("aria-pressed") == "true") != available:
            button.click()
        expect(button).to_have_attribute("aria-pressed", "true" if available else "false")

    def queue_item(self, conversation_id: str) -> Locator:
        return self.page.locator(f'#queue li[data-conversation-id="{conversation_id}"]')

    def open(self, conversation_id: str) -> Locator:
        """Opens a conversation this agent owns (claimed or assigned) and returns its view."""
        self.page.locator(f'#mine button[data-conversation-id="{conversation_id}"]').click()
        view = self.view(conversation_id)
        expect(view).to_be_visible()
        return view

    def mine_item(self, conversation_id: str) -> Locator:
        """The conversation's entry in "My conversations"."""
        return self.page.locator(f'#mine button[data-conversation-id="{conversation_id}"]')

    def mine_order(self) -> list[str]:
        """The ids of this agent's conversations, in the order the sidebar lists them."""
        return [
            str(b.get_attribute("data-conversation-id"))
            for b in self.page.locator("#mine button").all()
        ]

    def suggestions(self, conversation_id: str) -> Locator:
        return self.view(conversation_id).get_by_role("region", name="Suggested replies")

    def claim(self, conversation_id: str) -> Locator:
        self.queue_item(conversation_id).get_by_role("button", name="Claim").click()
        return self.open(conversation_id)

    def view(self, conversation_id: str) -> Locator:
        return self.page.locator(f'article.conv[data-conversation-id="{conversation_id}"]')

    def reply_box(self, conversation_id: str) -> Locator:
        return self.view(conversation_id).get_by_label("Reply to")

    def send(self, conversation_id: str, text: str) -> None:
        box = self.reply_box(conversation_id)
        box.fill(text)
        box.press("Enter")

    def chat_log(self, conversation_id: str) -> Locator:
        return self.view(conversation_id).get_by_role("log", name="Live chat")

    def use_tool(self, conversation_id: str, tool: str) -> Locator:
        """Expands one of the conversation tools (hand back, transfer, close)."""
        details = self.view(conversation_id).locator("details.tool").filter(has_text=tool)
        details.locator("summary").click()
        return details
