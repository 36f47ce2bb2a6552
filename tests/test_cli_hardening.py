"""Every command answers bad arguments and unusable paths with a short message, never a traceback,
and never overwrites a file it did not write."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bolivia_lessons import classroom, cli
from bolivia_lessons.cli import main

LESSONS = classroom.lesson_paths()
FIVE = next(p for p in LESSONS if p.name.startswith("05_"))


class _FakeServer:
    """Stands in for JupyterLab or Voilà: the tests check what would be started, not start it."""

    pid = os.getpid()

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def poll(self) -> int:
        return 0


@pytest.fixture
def no_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    # only the command module's view of subprocess: libraries imported meanwhile (nbconvert brings
    # jupyter_client, which keeps its own reference to Popen) must keep the real one
    fake = types.SimpleNamespace(call=lambda *a, **k: 0, Popen=_FakeServer, TimeoutExpired=subprocess.TimeoutExpired)
    monkeypatch.setattr(cli, "subprocess", fake)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own errors: a usage line and status 2
        status = exc.code if isinstance(exc.code, int) else 2
    out = capsys.readouterr()
    return status, out.out + out.err


def bad_invocations(tmp: Path, busy: int) -> list[tuple[list[str], str]]:
    a_file = tmp / "notes.txt"
    a_file.write_text("my notes", encoding="utf-8")
    blocked = tmp / "blocked"
    (blocked / FIVE.name).mkdir(parents=True)
    pages = tmp / "pages"
    (pages / f"{FIVE.stem}.html").mkdir(parents=True)
    own = tmp / "own"
    own.mkdir()
    (own / f"{FIVE.stem}.html").write_text("<p>my own page</p>", encoding="utf-8")
    notebook = tmp / "mine.ipynb"
    notebook.write_text('{"cells": []}', encoding="utf-8")
    return [
        (["validate", str(tmp / "nowhere")], "nowhere"),
        (["validate", str(a_file)], ""),
        (["lab", str(a_file), "--copy-only"], "is a file"),
        (["lab", str(blocked), "--copy-only"], "a folder of that name is in the way"),
        (["lab", "/proc/bolivia-lessons-test", "--copy-only"], "cannot use"),
        (["lab", str(tmp / "class"), "--port", "abc"], "a port is a whole number"),
        (["lab", str(tmp / "class"), "--port", "-5"], "a port is"),
        (["lab", str(tmp / "class"), "--bogus"], "unrecognized arguments: --bogus"),
        (["lab", str(tmp / "class"), "8899", "--copy-only"], "unrecognized arguments"),
        (["export"], "give --student DIR, --teacher DIR or both"),
        (["export", "--student", str(a_file)], "is a file"),
        (["html", str(a_file)], "is a file"),
        (["html", str(pages)], "not written"),
        (["html", str(own)], "not made by this command"),
        (["present", "99", "--no-browser"], "no lesson '99'"),
        (["present", "abc", "--no-browser"], "no lesson 'abc'"),
        (["present", "05", "--port", "-5"], "a port is"),
        (["present", "05", "--port", "70000"], "from 1024 to 65535"),
        (["present", "05", "--port", str(busy), "--no-browser"], f"port {busy} on 127.0.0.1 is in use"),
        (["guide", str(notebook)], "is not a teacher's guide made by this command"),
        (["guide", str(tmp)], "is a folder"),
        (["guide", "--lang", "xx"], "invalid choice"),
        (["build", "77", "--check"], "no source for lesson 77"),
        (["build", "--jobs", "0"], "expected 1 or more"),
        (["build", "--notebooks", str(tmp / "nowhere"), "--check"], "has no src/ folder"),
        (["build", "five", "--check"], "lesson numbers are whole numbers"),
        (["tables", "extra"], "unrecognized arguments"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ]


def test_bad_invocations_give_a_message_and_a_non_zero_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_servers: None, busy_port: int
) -> None:
    cases = bad_invocations(tmp_path, busy_port)
    assert len(cases) >= 20
    for argv, expected in cases:
        status, out = run(argv, capsys)
        assert "Traceback" not in out, (argv, out)
        assert status != 0, (argv, out)
        assert expected in out, (argv, out)
    # nothing that was not ours was touched or created
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (tmp_path / "own" / f"{FIVE.stem}.html").read_text(encoding="utf-8") == "<p>my own page</p>"
    assert (tmp_path / "mine.ipynb").read_text(encoding="utf-8") == '{"cells": []}'
    assert not (tmp_path / "8899").exists() and not Path("8899").exists()


def test_lab_takes_its_port_and_passes_jupyterlab_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd: calls.append(cmd) or 0)
    status, _ = run(["lab", str(tmp_path / "class"), "--port", "8899", "--ServerApp.open_browser=False"], capsys)
    assert status == 0
    assert "--ServerApp.port=8899" in calls[0] and "--ServerApp.open_browser=False" in calls[0]
    assert not (tmp_path / "8899").exists()


def test_a_read_only_or_blocked_lesson_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    (folder / FIVE.name).mkdir(parents=True)
    report = classroom.copy_lessons(folder)
    assert len(report.added) == len(LESSONS) - 1
    assert report.blocked and FIVE.name in report.blocked[0]


def test_an_untouched_copy_is_offered_the_new_version_and_an_edited_one_never(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "class"
    classroom.copy_lessons(folder)
    first, last = folder / LESSONS[0].name, folder / LESSONS[-1].name
    edited = json.loads(last.read_text(encoding="utf-8"))
    edited["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "My answer."})
    last.write_text(json.dumps(edited), encoding="utf-8")

    # the package is updated: every shipped lesson gains a sentence
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    for lesson in LESSONS:
        nb = json.loads(lesson.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "A new paragraph.", "id": "new"})
        (shipped / lesson.name).write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(classroom, "lesson_paths", lambda lang="en": sorted(shipped.glob("*.ipynb")))

    report = classroom.copy_lessons(folder)
    assert first.name in report.outdated and last.name in report.kept_changed
    assert "A new paragraph." not in first.read_text(encoding="utf-8"), "only offered"
    assert any("--update" in line for line in report.lines())

    report = classroom.copy_lessons(folder, update=True)
    assert first.name in report.updated and last.name in report.kept_changed
    assert "A new paragraph." in first.read_text(encoding="utf-8")
    assert "My answer." in last.read_text(encoding="utf-8") and "A new paragraph." not in last.read_text("utf-8")


def test_html_pages_load_nothing_from_the_network(tmp_path: Path) -> None:
    report = classroom.export_html(tmp_path)
    assert len(report.written) == len(LESSONS) and not report.refused
    for page in report.written:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower(), page.name
        assert "cdnjs" not in text and "cdn.jsdelivr" not in text and "unpkg.com" not in text
        # every chart image carries its text alternative, not nbconvert's placeholder
        assert "No description has been provided" not in text, page.name
    # a page it wrote itself is replaced on the next run
    again = classroom.export_html(tmp_path)
    assert len(again.written) == len(LESSONS)


ARGS = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "validate",
                "tables",
                "lab",
                "export",
                "html",
                "present",
                "guide",
                "--student",
                "--teacher",
                "--copy-only",
                "--port",
                "--lang",
                "en",
                "es",
                "xx",
                "05",
                "99",
                "-1",
                "--update",
                "--no-browser",
                "--help",
                "",
                ".",
                "..",
                "/",
                "/proc/x",
                "a.ipynb",
                "--X.y=1",
            ]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    ),
    max_size=6,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=ARGS)
def test_random_arguments_never_raise(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_servers: None
) -> None:
    monkeypatch.chdir(tmp_path)
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    assert status in (0, 1, 2, None), (argv, status)


def test_commands_in_a_subprocess_print_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "BOLIVIA_LESSONS_DATA": str(tmp_path / "nowhere")}
    for argv in (["validate"], ["tables"], ["guide"]):
        done = subprocess.run(
            [sys.executable, "-m", "bolivia_lessons.cli", *argv], capture_output=True, text=True, env=env, timeout=60
        )
        assert done.returncode != 0 and "Traceback" not in done.stderr + done.stdout, done.stderr
