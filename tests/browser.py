"""Shared helpers for the browser tests: Debian's Chromium through Playwright, and hostile student text.

Import the fixtures into a test module (``from browser import browser_context, browser_page``);
tests that use them must have ``browser`` in their name so ``pytest -k browser`` selects
exactly them. Chromium is never downloaded (no ``playwright install``): ``make browser``
installs Debian's package at :data:`CHROMIUM`, and a missing one fails the test saying so.

:func:`browser_page` collects uncaught page errors, console errors and every request the
page makes, and saves a screenshot to ``test-artifacts/`` when the test fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
#: Schemes a self-contained page may load from: nothing that leaves the machine.
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
TIMEOUT_MS = 30_000

#: Free text a student might type; it must show as text and never run.
HOSTILE_SCRIPT = "<script>window.__pwned=1</script>"
HOSTILE_IMG = "<img src=x onerror=window.__pwned=2>"
HOSTILE_TEXT = f"{HOSTILE_SCRIPT} I learned that outreach works. {HOSTILE_IMG} Then I wrote to three alumni."


@dataclass
class BrowserPage:
    """A page with what it reported: uncaught errors, console errors, requested URLs."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: Path) -> None:
        """Load a local file and wait for it (and anything it loads) to finish."""
        self.page.goto(path.resolve().as_uri(), wait_until="load", timeout=TIMEOUT_MS)

    def text(self) -> str:
        """What a reader sees: the body's rendered text."""
        return str(self.page.evaluate("document.body.innerText"))

    def pwned(self) -> Any:
        """``window.__pwned`` as a string of its type: ``"undefined"`` unless hostile text ran."""
        return self.page.evaluate("typeof window.__pwned")

    def remote_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]


def require_chromium() -> None:
    if not CHROMIUM.is_file():
        pytest.fail(f"Debian's Chromium is missing at {CHROMIUM}: run `make browser` (never `playwright install`)", pytrace=False)


@pytest.fixture
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    """Chromium with a fresh user-data dir; any http(s) request is recorded by the page and then aborted.

    One per test (about a second): Playwright's sync API keeps an asyncio loop alive while it
    runs, and code that runs a Jupyter kernel (papermill, nbclient) hangs inside it. So build
    pages in fixtures of a wider scope (set up first), never while a browser is open.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        # Offline by construction: a page that reaches out fails the request check, not the clock.
        context.route(re.compile(r"^(https?|wss?|ftp)://"), lambda route: route.abort())
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def browser_page(browser_context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[BrowserPage]:
    """A new page recording errors and requests; screenshot in test-artifacts/ if the test fails."""
    page = browser_context.new_page()
    bp = BrowserPage(page)

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error":
            bp.errors.append(f"console: {msg.text}")

    def on_request(req: Request) -> None:
        bp.requests.append(req.url)

    page.on("pageerror", lambda exc: bp.errors.append(f"pageerror: {exc}"))
    page.on("console", on_console)
    page.on("request", on_request)
    failed_before = request.session.testsfailed
    yield bp
    # The call phase's report is logged before fixtures are torn down, so a new failure shows here.
    if request.session.testsfailed > failed_before:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.close()


def inject_hostile(course_dir: Path, student_id: str, *, share_name: bool = False) -> dict[str, Any]:
    """Put :data:`HOSTILE_TEXT` in a student's m3 takeaways and reflection (consented) and m1 reflection.

    The first interview's takeaways also mention the interviewee by name (the booklet must
    scrub it). Returns the m3 answers as written.
    """
    base = course_dir / "autograded" / student_id
    m3_path = base / "m3-interviews" / "answers.json"
    m3 = json.loads(m3_path.read_text(encoding="utf-8"))
    first = m3["interviews"][0]
    first.update(
        takeaways=f"{HOSTILE_TEXT} {first['interviewee_name']} said to email {first['interviewee_contact']}.",
        reflection=HOSTILE_TEXT,
        consent_to_share=True,
    )
    m3["share_name"] = share_name
    m3_path.write_text(json.dumps(m3, indent=1), encoding="utf-8")
    m1_path = base / "m1-skills" / "answers.json"
    m1 = json.loads(m1_path.read_text(encoding="utf-8"))
    m1["reflection"] = HOSTILE_TEXT
    m1_path.write_text(json.dumps(m1, indent=1), encoding="utf-8")
    return m3


def personal_values(course_dir: Path) -> set[str]:
    """Every interviewee name and contact in the course's m3 answers (autograded and submitted)."""
    found: set[str] = set()
    for path in sorted(course_dir.glob("*/*/m3-interviews/answers.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for entry in data.get("interviews", []) if isinstance(data, dict) else []:
            for key in ("interviewee_name", "interviewee_contact"):
                if isinstance(entry, dict) and str(entry.get(key, "")).strip():
                    found.add(str(entry[key]).strip())
    return found


def first_student_with_interviews(course_dir: Path) -> str:
    """The first student (by id) with autograded m1 answers whose autograded m3 answers log an interview."""
    for path in sorted(course_dir.glob("autograded/*/m3-interviews/answers.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("interviews") and (path.parent.parent / "m1-skills" / "answers.json").is_file():
            return path.parent.parent.name
    raise AssertionError(f"no student in {course_dir} has m1 answers and a logged interview")
