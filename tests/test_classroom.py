"""Classroom delivery: working copies that never overwrite a learner's work, student and teacher
copies, static HTML, presentation, and no network use."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from pathlib import Path

import pytest

from bolivia_lessons import classroom
from bolivia_lessons.cli import main

LESSONS = classroom.lesson_paths()


def tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def test_lab_adds_missing_lessons_and_never_overwrites_an_edit(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "class"
    assert main(["lab", str(folder), "--copy-only"]) == 0
    assert sorted(p.name for p in folder.glob("*.ipynb")) == [p.name for p in LESSONS]
    assert f"added {len(LESSONS)}" in capsys.readouterr().out

    # a learner writes an answer into the first lesson and deletes the second one
    first, second = folder / LESSONS[0].name, folder / LESSONS[-1].name
    nb = json.loads(first.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "My answer: the army surrendered."})
    first.write_text(json.dumps(nb), encoding="utf-8")
    second.unlink()

    assert main(["lab", str(folder), "--copy-only"]) == 0
    out = capsys.readouterr().out
    assert "My answer: the army surrendered." in first.read_text(encoding="utf-8")
    assert f"kept 1 that you have changed: {first.name}" in out
    assert f"added 1: {second.name}" in out
    assert second.exists()


def test_lab_opens_the_first_lesson_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr("subprocess.call", lambda cmd: calls.append(cmd) or 0)
    assert main(["lab", str(tmp_path / "class"), "--port=9999"]) == 0
    (cmd,) = calls
    assert cmd[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={(tmp_path / 'class').resolve()}" in cmd
    # nothing is fetched: no news feed, no update check
    assert "--LabApp.news_url=None" in cmd
    assert "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate" in cmd
    assert "--ServerApp.port=9999" in cmd
    assert cmd[-1] == str((tmp_path / "class" / LESSONS[0].name).resolve())


def test_student_copy_leaves_out_teacher_cells_and_teacher_copy_keeps_them(tmp_path: Path) -> None:
    assert main(["export", "--student", str(tmp_path / "s"), "--teacher", str(tmp_path / "t")]) == 0
    for lesson in LESSONS:
        shipped = json.loads(lesson.read_text(encoding="utf-8"))
        student = json.loads((tmp_path / "s" / lesson.name).read_text(encoding="utf-8"))
        teacher = json.loads((tmp_path / "t" / lesson.name).read_text(encoding="utf-8"))
        n_teacher = sum("teacher" in tags(c) for c in shipped["cells"])
        assert n_teacher >= 1
        assert not any("teacher" in tags(c) for c in student["cells"])
        assert len(student["cells"]) == len(shipped["cells"]) - n_teacher
        assert [c["source"] for c in teacher["cells"]] == [c["source"] for c in shipped["cells"]]
        # code out of the learner's way, one click from view; the teacher sees it
        code = [c for c in student["cells"] if c["cell_type"] == "code"]
        assert code and all(c["metadata"]["jupyter"]["source_hidden"] for c in code)
        assert not any(c["metadata"].get("jupyter", {}).get("source_hidden") for c in teacher["cells"])
    # exporting again never overwrites
    assert main(["export", "--student", str(tmp_path / "s")]) == 0


def test_student_copies_run_because_teacher_cells_hold_no_code(tmp_path: Path) -> None:
    """nbval already runs every shipped lesson; a student copy only lacks teacher cells, which are all
    Markdown, so it runs exactly the same code (no second, slower run of every lesson here)."""
    classroom.copy_lessons(tmp_path, "student")
    for lesson in LESSONS:
        shipped = json.loads(lesson.read_text(encoding="utf-8"))
        assert all(c["cell_type"] == "markdown" for c in shipped["cells"] if "teacher" in tags(c)), lesson.name
        student = json.loads((tmp_path / lesson.name).read_text(encoding="utf-8"))
        code = [c["source"] for c in shipped["cells"] if c["cell_type"] == "code"]
        assert [c["source"] for c in student["cells"] if c["cell_type"] == "code"] == code


def test_static_html_has_charts_with_text_alternatives_and_no_code(tmp_path: Path) -> None:
    assert main(["html", str(tmp_path)]) == 0
    for lesson in LESSONS:
        page = (tmp_path / f"{lesson.stem}.html").read_text(encoding="utf-8")
        # each chart a figure named by its text alternative (nbconvert may reorder the attributes)
        figures = re.findall(r"<figure\b[^>]*>", page)
        assert figures and all('role="img"' in f and 'aria-label="' in f for f in figures) and "<svg" in page
        assert "Learning objectives" in page
        assert "Teacher notes" not in page
        assert "setup()" not in page, "code cells are left out"
    five = (tmp_path / "05_election_1956.html").read_text(encoding="utf-8")
    assert "Bar chart of the presidential election of 17 June 1956" in five
    assert main(["html", str(tmp_path / "t"), "--teacher"]) == 0
    assert "Teacher notes" in (tmp_path / "t" / "05_election_1956.html").read_text(encoding="utf-8")


def test_present_rejects_an_unknown_lesson(capsys) -> None:
    assert main(["present", "99", "--no-browser"]) == 2
    assert "no lesson '99'" in capsys.readouterr().err


def test_lessons_and_explorers_need_no_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from bolivia_lessons import charts, widgets

    charts.plot_land_reform_map()
    for make in [widgets.timeline_explorer, widgets.election_explorer, widgets.land_reform_explorer]:
        make()
    widgets.coup_explorer()
    widgets.source_comparison()
    widgets.quiz()


def test_binder_configuration_installs_the_package_and_opens_lesson_00() -> None:
    root = Path(__file__).resolve().parents[1]
    requirements = (root / ".binder" / "requirements.txt").read_text(encoding="utf-8").split()
    assert "." in requirements
    post = (root / ".binder" / "postBuild").read_text(encoding="utf-8")
    assert "00_start_here.ipynb" in post
    assert "/lab/tree/notebooks/en/00_start_here.ipynb" in post
    assert (root / "notebooks" / "en" / "00_start_here.ipynb").exists()
    assert subprocess.run(["bash", "-n", str(root / ".binder" / "postBuild")]).returncode == 0
    assert (root / "CITATION.cff").exists() and "Natural Earth" in (root / "data" / "LICENSE.md").read_text()
