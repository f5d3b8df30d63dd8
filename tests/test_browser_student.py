"""A student's session in a real browser: JupyterLab + Debian's Chromium (Playwright), then nbgrader.

JupyterLab serves a released module on 127.0.0.1 (free port, token auth); Chromium opens
``/lab?token=`` first (sets the cookie), opens the notebook, runs every cell, types a
reflection into the form and moves a competency slider with the keyboard as a student
would, saves; then ``nbgrader validate`` passes on the saved notebook and autograde gives
the points the self-check promised. Screenshots go to test-artifacts/ on failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from careerkit import answers, autograde, course, grading
from careerkit.demo import demo_roster

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
MODULE = "m1-skills"
REFLECTION = (
    "Rating myself on the eight competencies surprised me. I gave teamwork a 3 because I coordinate the shared "
    "microscope schedule for six people, but I rated career development a 1: I have never explained my skills to "
    "anyone outside the lab. That matters because the careers I am curious about reward people who can say what "
    "they bring. I realised my habit of keeping careful notes is really professionalism, not just lab hygiene. "
    "Next week I will ask my supervisor which of my skills she would name first, and by Friday I will rewrite my "
    "LinkedIn summary around communication and teamwork with one concrete example each."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A course with m1-skills released, a student's copy of it, and JupyterLab serving that copy."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)")
    base = tmp_path_factory.mktemp("student")
    c = course.init(base / "course", roster=demo_roster(2, base / "roster.csv"), timeout=30)
    assert course.release(c, MODULE)[0].ok
    work = base / "home"
    shutil.copytree(c.path("release", MODULE), work / MODULE)
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERHUB_USER="s001", PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               JUPYTER_RUNTIME_DIR=str(base / "runtime"), JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_DATA_DIR=str(base / "data"))  # fmt: skip
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--ip", "127.0.0.1", "--port", str(port),
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
           f"--ServerApp.root_dir={work}", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]  # fmt: skip
    log = (base / "lab.log").open("w", encoding="utf-8")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            log.close()
            pytest.fail("JupyterLab did not start:\n" + (base / "lab.log").read_text(encoding="utf-8")[-3000:])
        time.sleep(0.3)
    yield c, work, url, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


def test_browser_student_session_widgets_save_validate_and_autograde(lab, request):
    """Run all cells, type a reflection, move a slider, save; nbgrader validate passes; autograde gives the self-check's points."""
    from playwright.sync_api import sync_playwright

    c, work, url, token = lab
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(f"{url}/lab?token={token}")
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined", timeout=60_000)
            page.goto(f"{url}/lab/tree/{MODULE}/{MODULE}.ipynb")
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
            page.wait_for_function("() => { const w = window.jupyterapp.shell.currentWidget; return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel && w.sessionContext.session.kernel.status === 'idle'; }", timeout=60_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            area = page.locator("textarea[placeholder^='Write your reflection here']").first
            area.wait_for(timeout=60_000)
            area.scroll_into_view_if_needed()
            area.click()
            area.fill(REFLECTION)
            area.press("End")
            handle = page.locator(".widget-slider .noUi-handle").first
            handle.scroll_into_view_if_needed()
            handle.focus()
            handle.press("ArrowRight")
            saved = work / MODULE / "answers.json"
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                data = json.loads(saved.read_text(encoding="utf-8")) if saved.is_file() else {}
                if data.get("reflection", "").strip() == REFLECTION and data.get("profile"):
                    break
                page.wait_for_timeout(250)
            else:
                pytest.fail(f"the form did not save the reflection: {saved.read_text(encoding='utf-8') if saved.is_file() else 'no answers.json'}")
            page.wait_for_function("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'", timeout=60_000)
            page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
            page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            raise
        finally:
            browser.close()
    assert not errors, errors

    data = json.loads((work / MODULE / "answers.json").read_text(encoding="utf-8"))
    ratings = [v["rating"] for v in data["profile"]["competencies"].values()]
    assert max(ratings) >= 1  # the slider the student moved
    saved_nb = json.loads((work / MODULE / f"{MODULE}.ipynb").read_text(encoding="utf-8"))
    assert any(cell.get("outputs") for cell in saved_nb["cells"])  # the run's outputs were saved with the notebook

    nbgrader = Path(sys.executable).with_name("nbgrader")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    val = subprocess.run([str(nbgrader), "validate", f"{MODULE}.ipynb"], cwd=work / MODULE, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert val.returncode == 0, val.stdout + val.stderr
    assert "Success" in val.stdout or "passed" in val.stdout.lower(), val.stdout

    expected = grading.self_check(answers.open_book(MODULE, work / MODULE), MODULE)
    shutil.copytree(work / MODULE, c.path("submitted", "s001", MODULE))
    report = autograde.autograde(c, MODULE, jobs=1, progress=False)
    (outcome,) = report.outcomes
    assert outcome.status == autograde.GRADED, outcome.reasons
    assert outcome.score == pytest.approx(expected, abs=0.01)
    assert outcome.score > 0
