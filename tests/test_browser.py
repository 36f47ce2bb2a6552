"""End to end in a real browser: JupyterLab and Voilà on 127.0.0.1, driven from the keyboard.

Needs Debian's chromium (``/usr/bin/chromium``) and the ``playwright`` package; ``.ci/run``
installs both. Screenshots land in ``artifacts/browser/`` (ignored by git: they are for looking at,
not for committing).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
TOKEN = "bolivia-lessons-test"
CELLS = [
    "import bolivia_lessons.widgets as bw\nfrom bolivia_lessons.notebook import setup\nsetup()",
    "bw.timeline_explorer()",
    "bw.election_explorer()",
    "bw.land_reform_explorer()",
    "bw.coup_explorer()",
    "bw.source_comparison()",
    "bw.quiz(lesson_id=5)",
]
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def write_notebook(path: Path, cells: list[str]) -> None:
    nb = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": src}
            for i, src in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")


def lab_command(port: int, root: Path) -> list[str]:
    """JupyterLab on 127.0.0.1 with the test token, offline (no news, no update check)."""
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(url)


def server(cmd: list[str], cwd: Path, url: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    env = os.environ | {"JUPYTER_PLATFORM_DIRS": "1", "HOME": str(cwd), "MPLBACKEND": "Agg"} | (env or {})
    log = (cwd / "server.log").open("w")
    # a session of its own: the command may start the server as a child (``bolivia-lessons lab``
    # runs JupyterLab), and the whole group is stopped at the end, so no server outlives its test
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(url)
        yield proc
    finally:
        stop_group(proc, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            stop_group(proc, signal.SIGKILL)
        log.close()


def stop_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:  # every process of the group has already ended
        pass


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("lab")
    write_notebook(work / "explorers.ipynb", CELLS)
    port = free_port()
    cmd = lab_command(port, work)
    base = f"http://127.0.0.1:{port}"
    for _ in server(cmd, work, f"{base}/api/status?token={TOKEN}"):
        yield base


#: the position of the notebook's active cell among its cells
ACTIVE_CELL = (
    "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex(c => c.matches('.jp-mod-active'))"
)


def svg_text(explorer) -> str:
    return explorer.locator(".widget-output svg").first.inner_html()


def shot(page, explorer, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # JupyterLab asks once whether to show its news; answer no so the toast does not cover the explorer
    no = page.locator(".jp-toast-button", has_text="No")
    if no.count():
        try:
            no.first.evaluate("button => button.click()", timeout=2_000)  # the toast is still sliding in
        except playwright_api.TimeoutError:
            pass  # it went away by itself between the count and the click

    explorer.scroll_into_view_if_needed()
    explorer.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_every_explorer_in_jupyterlab(browser, lab: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{lab}/lab/tree/explorers.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Escape")
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_selector(".bl-quiz", timeout=90_000)
    page.wait_for_function("document.querySelectorAll('.bl-explorer .widget-output svg').length >= 4", timeout=60_000)

    # timeline: move the lower handle of the year slider one step right with the keyboard
    timeline = page.locator(".bl-timeline")
    assert "Events, 1932 to 2024" in svg_text(timeline)
    timeline.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    timeline.locator("svg text", has_text="Events, 1933 to 2024").wait_for(timeout=20_000)
    # the readout shows both years whole, inside the panel
    readout = timeline.locator(".widget-readout").first
    assert readout.inner_text().replace(" ", "") == "1933–2024"
    box, panel = readout.bounding_box(), timeline.bounding_box()
    assert box["x"] + box["width"] <= panel["x"] + panel["width"] + 2  # borders round to a pixel
    assert readout.evaluate("r => r.scrollWidth <= r.clientWidth + 1")
    shot(page, timeline, "timeline")

    # timeline categories: a plain click on one box unticks that category and keeps the others
    boxes = timeline.locator(".bl-checklist input[type=checkbox]")
    assert boxes.count() == 10 and all(boxes.nth(i).is_checked() for i in range(10))
    before_svg = svg_text(timeline)
    timeline.locator(".bl-checklist label", has_text="Coup").first.click()
    page.wait_for_function(
        "t => document.querySelector('.bl-timeline .widget-output svg').innerHTML !== t", arg=before_svg, timeout=20_000
    )
    assert [boxes.nth(i).is_checked() for i in range(10)].count(True) == 9
    shot(page, timeline, "timeline_categories")

    # elections: from the focused "linear" toggle, the right arrow chooses "logarithmic"
    election = page.locator(".bl-election")
    assert "linear scale" in svg_text(election)
    election.get_by_role("button", name="linear").focus()
    page.keyboard.press("ArrowRight")
    election.locator("svg text", has_text="logarithmic scale").wait_for(timeout=20_000)
    assert election.locator("button.mod-active", has_text="logarithmic").count() == 1
    page.keyboard.press("ArrowLeft")
    election.locator("svg text", has_text="linear scale").wait_for(timeout=20_000)
    shot(page, election, "election")

    # land reform: switch to the map with Enter on its button
    land = page.locator(".bl-land-reform")
    land.get_by_role("button", name="map").focus()
    page.keyboard.press("Enter")
    land.locator("svg text", has_text="by department").wait_for(timeout=20_000)
    shot(page, land, "land_reform")

    # coups: the down arrow on the focused outcome drop-down chooses the next outcome (JupyterLab
    # would otherwise take the key and move to the next cell)
    coups = page.locator(".bl-explorer.bl-coups")
    before = coups.locator("table.bl-coups tbody tr").count()
    coups.locator("select").nth(1).focus()
    active = page.evaluate(ACTIVE_CELL)
    page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "n => document.querySelectorAll('.bl-coups table.bl-coups tbody tr').length < n", arg=before, timeout=20_000
    )
    outcomes = coups.locator("table.bl-coups tbody tr td:last-child").all_inner_texts()
    assert outcomes and set(outcomes) == {"successful"}
    # the keys stayed with the controls: the notebook did not move to another cell
    assert page.evaluate(ACTIVE_CELL) == active
    shot(page, coups, "coups")

    # source comparison: type the first letter of another claim's question
    sources = page.locator(".bl-sources")
    first = sources.locator("h4").inner_text()
    select = sources.locator("select")
    # a letter that JupyterLab does not bind in command mode (a, b, c, d, i, j, k, m, o, r, v, x, y, z are)
    letter = next(
        t.strip()[0]
        for t in select.locator("option").all_inner_texts()
        if t.strip()[0] != first[0] and t.strip()[0].lower() in "ehgnpqstuw"
    )
    select.focus()
    page.keyboard.press(letter.lower())
    page.wait_for_function("t => document.querySelector('.bl-sources h4').innerText !== t", arg=first, timeout=20_000)
    shot(page, sources, "source_comparison")

    # quiz: choose the first option with the space bar; feedback appears at once
    quiz = page.locator(".bl-quiz")
    quiz.locator("input[type=radio]").first.focus()
    page.keyboard.press("Space")
    quiz.locator(".bl-feedback").first.wait_for(timeout=20_000)
    shot(page, quiz, "quiz")
    page.close()


def test_election_explorer_in_voila(browser, tmp_path: Path) -> None:
    write_notebook(tmp_path / "election.ipynb", CELLS[:1] + ["bw.election_explorer()"])
    port = free_port()
    cmd = [sys.executable, "-m", "voila", "election.ipynb", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    for _ in server(cmd, tmp_path, f"http://127.0.0.1:{port}/"):
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/")
        election = page.locator(".bl-election")
        election.locator(".widget-output svg").wait_for(timeout=90_000)
        assert "linear scale" in svg_text(election)
        election.get_by_role("button", name="logarithmic").focus()
        page.keyboard.press("Enter")
        election.locator("svg text", has_text="logarithmic scale").wait_for(timeout=20_000)
        shot(page, election, "voila_election")
        page.close()


def test_present_mode_serves_a_lesson_with_live_explorers(browser, tmp_path: Path) -> None:
    """``bolivia-lessons present 05``: Voilà on 127.0.0.1, code and teacher notes hidden, explorers live."""
    port = free_port()
    cmd = [sys.executable, "-m", "bolivia_lessons.cli", "present", "05", f"--port={port}", "--no-browser"]
    for _ in server(cmd, tmp_path, f"http://127.0.0.1:{port}/"):
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/")
        election = page.locator(".bl-election")
        election.locator(".widget-output svg").wait_for(timeout=90_000)
        body = page.locator("body").inner_text()
        assert "Guiding question" in body
        assert "Teacher notes" not in body and "setup()" not in body
        election.get_by_role("button", name="logarithmic").focus()
        page.keyboard.press("Enter")
        election.locator("svg text", has_text="logarithmic scale").wait_for(timeout=20_000)
        shot(page, election, "present_lesson_05")
        page.close()


# -- hostile teacher files and the network (issue: hardening) ------------------------------------

PAYLOADS = ["<img src=x onerror=alert(1)> T", "<script>alert(2)</script>", "$\\alert$ and $5 fee"]


def hostile_extra(folder: Path) -> Path:
    """A teacher's extra folder whose titles, summaries, place names and authors carry script and maths."""
    import csv

    from bolivia_lessons.paths import data_dir

    folder.mkdir(parents=True, exist_ok=True)

    def rows(name: str) -> tuple[list[str], list[dict[str, str]]]:
        with (data_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            return list(reader.fieldnames or []), list(reader)

    def write(name: str, head: list[str], new: list[dict[str, str]]) -> None:
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=head, lineterminator="\n")
            writer.writeheader()
            writer.writerows(new)

    head, sources = rows("sources")
    write("sources", head, [{**sources[0], "source_id": "hostile_src", "author": PAYLOADS[1], "title": PAYLOADS[0]}])
    head, places = rows("places")
    write("places", head, [{**places[0], "place_id": "hostile_place", "name": PAYLOADS[0]}])
    head, events = rows("events")
    template = next(e for e in events if e["lesson_id"] == "2")
    new = []
    for n, (lesson, payload) in enumerate([(number, p) for number in ("0", "2") for p in PAYLOADS]):
        new.append(
            {
                **template,
                "event_id": f"1952_hostile_{n}",
                "start_date": "1952-04-10",
                "end_date": "",
                "date_precision": "day",
                "title_en": payload,
                "title_es": payload,
                "summary_en": payload,
                "summary_es": payload,
                "place_id": "hostile_place",
                "department": places[0]["department"],
                "lesson_id": lesson,
                "key_event": "true",
            }
        )
    write("events", head, new)
    head, _ = rows("event_sources")
    write("event_sources", head, [{"event_id": e["event_id"], "source_id": "hostile_src"} for e in new])
    from bolivia_lessons import check

    assert check(extra=folder) == [], check(extra=folder)
    return folder


@pytest.mark.parametrize("lesson", ["00", "02"])
def test_a_hostile_teacher_file_runs_no_script_in_present_mode(browser, tmp_path: Path, lesson: str) -> None:
    extra = hostile_extra(tmp_path / "extra")
    port = free_port()
    cmd = [sys.executable, "-m", "bolivia_lessons.cli", "present", lesson, f"--port={port}", "--no-browser"]
    for _ in server(cmd, tmp_path, f"http://127.0.0.1:{port}/", env={"BOLIVIA_LESSONS_EXTRA": str(extra)}):
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
        page.goto(f"http://127.0.0.1:{port}/")
        # Voilà shows the page once every cell has run: the quiz is the last widget of a lesson
        page.locator(".bl-quiz").first.wait_for(timeout=120_000)
        page.wait_for_timeout(1500)
        body = page.locator("body").inner_text()
        assert "error when executing" not in body.lower()
        assert dialogs == []
        page.close()


def test_a_hostile_teacher_file_runs_no_script_in_jupyterlab(browser, tmp_path: Path) -> None:
    extra = hostile_extra(tmp_path / "extra")
    work = tmp_path / "work"
    from bolivia_lessons.classroom import copy_lessons

    copy_lessons(work, "teacher")
    port = free_port()
    cmd = lab_command(port, work)
    base = f"http://127.0.0.1:{port}"
    # JupyterLab only puts the cells in view into the page; render them all, so that every output
    # of the lesson (and any script hidden in the data) really reaches the browser
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    env = {"BOLIVIA_LESSONS_EXTRA": str(extra), "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "lab-settings")}
    for _ in server(cmd, work, f"{base}/api/status?token={TOKEN}", env=env):
        for name in ("00_start_here.ipynb", "02_april_1952.ipynb"):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(120_000)  # two lessons of a loaded CI machine: be patient, not flaky
            dialogs: list[str] = []
            page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
            # each lesson in a workspace of its own: the one before it is not restored beside it
            page.goto(f"{base}/lab/workspaces/{name[:2]}/tree/{name}?reset&token={TOKEN}")
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            page.wait_for_timeout(1000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            # JupyterLab only renders the cells in view: wait for the quiz to exist, not to be visible
            page.wait_for_selector(".bl-quiz", state="attached", timeout=120_000)
            page.wait_for_timeout(1500)
            assert "hostile" not in page.locator(".jp-OutputArea-output .jp-RenderedText").all_inner_texts().__str__()
            assert dialogs == [], (name, dialogs)
            page.close()


def test_lesson_pages_fetch_nothing_from_outside_the_machine(browser, tmp_path: Path) -> None:
    """The html export pages and a lesson presented with Voilà ask only 127.0.0.1 (or nothing) for anything."""
    from bolivia_lessons.classroom import export_html, export_packets

    pages = export_html(tmp_path / "pages").written + export_packets(tmp_path / "packets").written
    outside: list[str] = []

    def record(request) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1", "file://", "data:", "about:", "blob:")):
            outside.append(url)

    for path in pages[:3] + pages[-2:]:
        page = browser.new_page()
        page.on("request", record)
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.close()
    port = free_port()
    cmd = [sys.executable, "-m", "bolivia_lessons.cli", "present", "05", f"--port={port}", "--no-browser"]
    for _ in server(cmd, tmp_path, f"http://127.0.0.1:{port}/"):
        page = browser.new_page()
        page.on("request", record)
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator(".bl-explorer .widget-output svg").first.wait_for(timeout=90_000)
        page.wait_for_load_state("networkidle")
        page.close()
    assert outside == []


def test_lab_stops_the_kernel_of_a_closed_lesson(tmp_path: Path) -> None:
    """``bolivia-lessons lab`` stops kernels that no tab uses once idle (issue 12: four kernels left running).

    The wait is shortened here (the command's own is ten minutes): a kernel started and then left
    with no connection, as a closed lesson's is, disappears; the server keeps running.
    """
    port = free_port()
    lab = [sys.executable, "-m", "bolivia_lessons.cli", "lab", str(tmp_path / "lessons")]
    assert subprocess.run([*lab, "--copy-only"], cwd=tmp_path, capture_output=True).returncode == 0
    cmd = [
        *lab,
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.allow_root=True",
        f"--IdentityProvider.token={TOKEN}",
        "--MappingKernelManager.cull_idle_timeout=2",
        "--MappingKernelManager.cull_interval=1",
    ]
    base = f"http://127.0.0.1:{port}"
    for _ in server(cmd, tmp_path, f"{base}/api/status?token={TOKEN}"):
        started = urllib.request.Request(f"{base}/api/kernels?token={TOKEN}", data=b"{}", method="POST")
        with urllib.request.urlopen(started, timeout=30) as answer:
            kernel = json.load(answer)["id"]
        deadline = time.monotonic() + 60
        running = [kernel]
        while running and time.monotonic() < deadline:
            time.sleep(1)
            with urllib.request.urlopen(f"{base}/api/kernels?token={TOKEN}", timeout=10) as answer:
                running = [k["id"] for k in json.load(answer)]
        assert running == [], "the unused kernel was not stopped"
        with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=10) as answer:
            assert answer.status == 200
