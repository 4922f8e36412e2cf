"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, one fresh browser
context (so fresh localStorage) per page, and the product under test.

The product is the session-wide `stack` (real action server, Rasa and handoff service); every
test reaches it through `product`, so pointing the whole folder elsewhere is a one-line change.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_pages import DESKTOP, AgentConsole, CustomerPage
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("NW_CHROMIUM", "/usr/bin/chromium")
# No network beyond loopback is needed, so switch off everything that would phone home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

HERE = Path(__file__).resolve().parent
# The assistant answers in about a second, but a loaded CI machine can be much slower.
expect.set_options(timeout=30_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test needs the whole product, so `-m "not stack"` skips them all."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.stack)


@pytest.fixture(scope="session")
def product(stack):  # type: ignore[no-untyped-def]
    """The running product: `base_url`, `create_agent(...)`, `intake_token`."""
    return stack


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: `make test` installs it (apt-get install chromium)"
        )
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Makes isolated browser contexts (own storage, own cookies); all closed after the test."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] = DESKTOP) -> BrowserContext:
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def customer(product, new_context) -> CustomerPage:  # type: ignore[no-untyped-def]
    """A visitor on the demo store page, chat not yet opened."""
    page = new_context().new_page()
    return CustomerPage(page, product.base_url)


_agent_numbers = itertools.count(1)


@pytest.fixture
def make_agent(product, new_context) -> Callable[..., AgentConsole]:  # type: ignore[no-untyped-def]
    """Creates an agent account and signs it in to the console in its own browser context."""

    def make(
        name: str = "Ana",
        *,
        available: bool = True,
        viewport: dict[str, int] = DESKTOP,
        role: str = "agent",
    ) -> AgentConsole:
        username = f"{name.lower()}{os.getpid()}x{next(_agent_numbers)}"
        password = f"pw-{username}-secret"
        # Conversations left waiting by earlier tests share the queue; a roomy agent takes
        # them all, so the one this test created is never starved behind them.
        product.create_agent(username, name, password, teams=("*",), capacity=50, role=role)
        console = AgentConsole(new_context(viewport).new_page(), product.base_url)
        console.login(username, password)
        console.username = username
        if not available:
            console.set_available(False)
        return console

    return make


@pytest.fixture
def shoot() -> Callable[..., None]:
    """Saves a screenshot as a test artifact: artifacts/screenshots/<name>.png, and with
    `chat_only=True` also <name>-chat.png, just the chat, small enough for the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page: Page, name: str, *, chat_only: bool = False) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        if chat_only:
            page.locator("iframe[data-northwind-chat]").screenshot(
                path=str(SCREENSHOTS / f"{name}-chat.png")
            )

    return save
