"""Accessibility, audited by a real engine: axe-core on every lesson in Voilà and on the html pages.

axe-core comes bundled in the PyPI package ``axe-playwright-python`` (no download at run time).
Every lesson of both editions is served by ``bolivia-lessons present`` and audited once every
cell has run (explorers, quizzes and document cards included); so is every static page of
``bolivia-lessons html`` and ``packets``. No violation of impact "serious" or "critical" may
remain. The full reports and one screenshot per lesson section (and one at 200 % zoom) are saved
in ``artifacts/accessibility/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from test_browser import ROOT, browser, free_port, server  # noqa: F401  (browser is a fixture)

axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")
pytestmark = [pytest.mark.slow]

ARTIFACTS = ROOT / "artifacts" / "accessibility"
SERIOUS = {"serious", "critical"}
LESSONS = sorted(p.stem[:2] for p in (ROOT / "notebooks" / "en").glob("[0-9][0-9]_*.ipynb"))


def audit(page, name: str) -> list[str]:
    """Run axe-core on the page; save its report; return the serious and critical violations, readably."""
    result = axe_api.Axe().run(page).response
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(result["violations"], indent=1), encoding="utf-8")
    return [
        f"{name}: {v['impact']} {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


#: Voilà's lab page scrolls inside its own container, so a full-page screenshot holds only what is
#: in view: each section is scrolled to the top of a window as tall as the section instead.
SECTIONS = """() => {
  const cells = [...document.querySelectorAll('.jp-Cell')];
  const starts = cells.filter(c => c.querySelector('h1, h2'));
  return starts.map((c, i) => {
    const next = starts[i + 1];
    const top = c.getBoundingClientRect().top;
    const bottom = next ? next.getBoundingClientRect().top : cells[cells.length - 1].getBoundingClientRect().bottom;
    return {index: cells.indexOf(c), title: c.querySelector('h1, h2').innerText.trim(), height: bottom - top};
  });
}"""


def section_shots(page, name: str, width: int) -> int:
    sections = page.evaluate(SECTIONS)
    for n, s in enumerate(sections):
        page.set_viewport_size({"width": width, "height": int(min(max(s["height"], 200), 16000))})
        page.evaluate("i => document.querySelectorAll('.jp-Cell')[i].scrollIntoView({block: 'start'})", s["index"])
        page.wait_for_timeout(100)
        page.screenshot(path=str(ARTIFACTS / f"{name}_{n:02d}.png"))
    return len(sections)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_in_voila_passes_axe(browser, tmp_path: Path, lesson: str, lang: str) -> None:  # noqa: F811
    port = free_port()
    cmd = [sys.executable, "-m", "bolivia_lessons.cli", "present", lesson, f"--port={port}", "--no-browser"]
    for _ in server(cmd + ["--lang", lang], tmp_path, f"http://127.0.0.1:{port}/"):
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator(".bl-quiz").first.wait_for(timeout=120_000)  # the last widget: every cell has run
        page.wait_for_timeout(500)
        # every slider handle has been named by the lessons' script
        page.wait_for_function(
            "() => [...document.querySelectorAll('.noUi-handle')].every(h => h.getAttribute('aria-label'))",
            timeout=20_000,
        )
        problems = audit(page, f"voila_{lang}_{lesson}")
        assert section_shots(page, f"voila_{lang}_{lesson}", 1366) >= 5
        page.close()
    assert problems == [], "\n".join(problems)


def test_every_html_page_passes_axe(browser, tmp_path: Path) -> None:  # noqa: F811
    from bolivia_lessons.classroom import export_html, export_packets

    pages = []
    for lang in ("en", "es"):
        pages += export_html(tmp_path / f"pages_{lang}", lang=lang).written
        pages += export_html(tmp_path / f"teacher_{lang}", "teacher", lang=lang).written
        pages += export_packets(tmp_path / f"packets_{lang}", lang=lang).written
    assert len(pages) >= 4 * len(LESSONS)
    problems = []
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    for path in pages:
        page.goto(path.as_uri())
        problems += audit(page, f"html_{path.parent.name}_{path.stem}")
    page.close()
    assert problems == [], "\n".join(problems)


def test_a_lesson_at_200_percent_zoom_fits_the_window(browser, tmp_path: Path) -> None:  # noqa: F811
    """1366×900 at 200 %: a 683×450 window of CSS pixels, two device pixels each; nothing runs off the side."""
    port = free_port()
    cmd = [sys.executable, "-m", "bolivia_lessons.cli", "present", "05", f"--port={port}", "--no-browser"]
    for _ in server(cmd + ["--lang", "en"], tmp_path, f"http://127.0.0.1:{port}/"):
        context = browser.new_context(viewport={"width": 683, "height": 450}, device_scale_factor=2)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator(".bl-quiz").first.wait_for(timeout=120_000)
        page.wait_for_timeout(500)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('.jp-Cell')]
                 .filter(c => c.scrollWidth > c.clientWidth + 1 || c.getBoundingClientRect().right > innerWidth + 1)
                 .map(c => c.innerText.slice(0, 60))"""
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        section_shots(page, "zoom200_en_05", 683)
        context.close()
    assert wide == []


def test_the_audit_finds_what_it_should(browser, tmp_path: Path) -> None:  # noqa: F811
    """The engine is really running: a page with an unnamed image and a pale text fails it."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#ccc">pale</p></main></body></html>',
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(bad.as_uri())
    problems = audit(page, "known_bad")
    page.close()
    assert any("image-alt" in p for p in problems) and any("color-contrast" in p for p in problems)


def test_present_serves_no_console_errors_for_the_lessons_script(browser, tmp_path: Path) -> None:  # noqa: F811
    """The lessons' script runs in Voilà without an error (it names slider handles there too)."""
    port = free_port()
    errors: list[str] = []
    cmd = [sys.executable, "-m", "bolivia_lessons.cli", "present", "00", f"--port={port}", "--no-browser"]
    for _ in server(cmd + ["--lang", "es"], tmp_path, f"http://127.0.0.1:{port}/"):
        page = browser.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator(".bl-quiz").first.wait_for(timeout=120_000)
        names = page.evaluate("() => [...document.querySelectorAll('.noUi-handle')].map(h => h.ariaLabel)")
        page.close()
    assert names == ["Años: desde", "Años: hasta"]
    assert errors == []
