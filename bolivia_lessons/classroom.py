"""Handing lessons to a class: working copies, student and teacher copies, static HTML.

Two rules run through this module. A file that already exists in a learner's folder is never
overwritten: a learner's answers and notes are worth more than a fresh copy. And the student
copy is the teacher's copy minus the cells tagged ``teacher`` (notes and suggested answers), so
both always come from the same lesson.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import notebooks_dir

#: Cell tag marking teacher notes and suggested answers, left out of student copies.
TEACHER_TAG = "teacher"
AUDIENCES = ("student", "teacher")


@dataclass
class CopyReport:
    """What a copy did: files added, and files that already existed and were kept."""

    folder: Path
    added: list[str] = field(default_factory=list)
    kept_unchanged: list[str] = field(default_factory=list)
    kept_changed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A short account for the terminal, naming every file kept."""
        out = [f"Lessons in {self.folder}:"]
        if self.added:
            out.append(f"  added {len(self.added)}: {', '.join(self.added)}")
        if self.kept_changed:
            out.append(f"  kept {len(self.kept_changed)} that you have changed: {', '.join(self.kept_changed)}")
        if self.kept_unchanged:
            out.append(f"  kept {len(self.kept_unchanged)} already there: {', '.join(self.kept_unchanged)}")
        if not (self.added or self.kept_changed or self.kept_unchanged):
            out.append("  no lessons found to copy")
        return out


def lesson_paths() -> list[Path]:
    """The shipped lesson notebooks, in lesson order."""
    return sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


def find_lesson(number: int | str) -> Path:
    """The shipped notebook of lesson ``number`` (``5`` or ``"05"``).

    Raises
    ------
    ValueError
        If there is no such lesson.

    """
    prefix = f"{int(number):02d}_"
    for path in lesson_paths():
        if path.name.startswith(prefix):
            return path
    names = ", ".join(p.name[:2] for p in lesson_paths())
    raise ValueError(f"no lesson {number!r}; the lessons are {names}")


def read_notebook(path: Path) -> dict[str, Any]:
    """A notebook as a plain dict (nbformat 4 JSON)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _write(nb: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def for_audience(nb: dict[str, Any], audience: str) -> dict[str, Any]:
    """The notebook as a student or a teacher gets it.

    Parameters
    ----------
    nb : dict
        A lesson notebook (nbformat 4 JSON).
    audience : {"student", "teacher"}
        ``"student"`` leaves out every cell tagged ``teacher``; ``"teacher"`` keeps everything.

    Returns
    -------
    dict
        A new notebook; ``nb`` is not changed.

    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    out = copy.deepcopy(nb)
    if audience == "student":
        out["cells"] = [c for c in out["cells"] if TEACHER_TAG not in c.get("metadata", {}).get("tags", [])]
    out.setdefault("metadata", {}).setdefault("bolivia_lessons", {})["audience"] = audience
    return out


def _digest(nb: dict[str, Any]) -> str:
    # compare what a learner can change (sources), not outputs that differ after any re-run
    return hashlib.sha256(json.dumps([c["source"] for c in nb["cells"]], ensure_ascii=False).encode()).hexdigest()


def copy_lessons(folder: Path | str, audience: str = "student") -> CopyReport:
    """Copy every lesson into ``folder`` for ``audience``, adding only what is missing.

    A notebook already in ``folder`` is never overwritten. The report says which ones were kept
    and whether they differ from the lesson as shipped (a learner's edits).

    Parameters
    ----------
    folder : path
        The working folder; created if needed.
    audience : {"student", "teacher"}
        Which copy to make (see :func:`for_audience`).

    Returns
    -------
    CopyReport

    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    report = CopyReport(folder)
    for source in lesson_paths():
        fresh = for_audience(read_notebook(source), audience)
        target = folder / source.name
        if not target.exists():
            _write(fresh, target)
            report.added.append(source.name)
            continue
        try:
            same = _digest(read_notebook(target)) == _digest(fresh)
        except (ValueError, KeyError):  # not a notebook we can read: certainly the learner's
            same = False
        (report.kept_unchanged if same else report.kept_changed).append(source.name)
    return report


def export_html(folder: Path | str, audience: str = "student") -> list[Path]:
    """Write a static HTML page of every lesson, with its stored outputs, for reading and printing.

    Code cells are left out (a reader needs the text, the tables and the charts, each chart with
    its text alternative); explorers and quizzes need a kernel, so the page names the notebook to
    open instead. Existing pages are replaced: they are generated, never edited by hand.

    Parameters
    ----------
    folder : path
        Where the ``NN_slug.html`` pages go; created if needed.
    audience : {"student", "teacher"}
        Whether teacher notes are included.

    Returns
    -------
    list of pathlib.Path
        The pages written.

    """
    import nbformat
    from nbconvert import HTMLExporter

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    pages = []
    for source in lesson_paths():
        nb = for_audience(read_notebook(source), audience)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
                note = f"*Interactive: open `{source.name}` in JupyterLab to use this explorer or quiz.*"
                cell["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {"text/markdown": note}}]
        nb.get("metadata", {}).pop("widgets", None)
        body, _ = exporter.from_notebook_node(nbformat.reads(json.dumps(nb), as_version=4))
        page = folder / f"{source.stem}.html"
        page.write_text(body, encoding="utf-8")
        pages.append(page)
    return pages


def lesson_outline(path: Path) -> dict[str, Any]:
    """What a lesson's title cell says: number, title, duration, prerequisites, objectives, question.

    Parameters
    ----------
    path : pathlib.Path
        A lesson notebook.

    Returns
    -------
    dict
        Keys ``file``, ``number``, ``title``, ``minutes``, ``before``, ``objectives`` (list) and
        ``question``.

    """
    nb = read_notebook(path)
    text = "".join(nb["cells"][0]["source"])
    title = re.search(r"^# Lesson (\d+) · (.+)$", text, flags=re.M)
    timing = re.search(r"\*\*Estimated time:\*\* (\d+) minutes · \*\*Before this lesson:\*\* (.+)$", text, flags=re.M)
    question = re.search(r"^> \*\*(.+)\*\*\s*$", text, flags=re.M)
    if not (title and timing and question):
        raise ValueError(f"{path.name}: the first cell lacks the title, timing or guiding question lines")
    objectives = re.findall(r"^\d+\. (.+)$", text.split("### Learning objectives", 1)[-1], flags=re.M)
    return {
        "file": path.name,
        "number": int(title.group(1)),
        "title": title.group(2).strip(),
        "minutes": int(timing.group(1)),
        "before": timing.group(2).strip(),
        "objectives": objectives,
        "question": question.group(1).strip(),
    }


def teachers_guide() -> str:
    """The teacher's guide (Markdown), built from the lessons and the self-check questions.

    Built, not written by hand, so that it cannot drift from the lessons: a test compares
    ``notebooks/TEACHERS_GUIDE.md`` with this text.
    """
    from .loaders import load_quiz_questions

    quiz = load_quiz_questions()
    out = [
        "# Teacher's guide",
        "",
        "<!-- Generated from the lessons by `bolivia-lessons guide notebooks/TEACHERS_GUIDE.md`; do not edit. -->",
        "",
        "Ten lessons of about 30–55 minutes each. Every lesson has a guiding question, a narrative in short",
        "cells, at least one chart and one explorer, a source-reading activity (sourcing, corroboration,",
        "close reading), self-check questions with immediate feedback, a summary, and teacher notes with",
        "suggested answers in cells tagged `teacher`, which the student copy leaves out.",
        "",
        "| lesson | time | before it | guiding question |",
        "|---|---|---|---|",
    ]
    outlines = [lesson_outline(p) for p in lesson_paths()]
    for o in outlines:
        out.append(f"| {o['number']:02d} {o['title']} | {o['minutes']} min | {o['before']} | {o['question']} |")
    out += ["", f"Total: {sum(o['minutes'] for o in outlines)} minutes.", ""]
    for o in outlines:
        out += [f"## {o['number']:02d} · {o['title']}", "", f"`{o['file']}` · {o['minutes']} minutes", ""]
        out += ["Objectives:", ""] + [f"{i}. {text}" for i, text in enumerate(o["objectives"], 1)] + [""]
        mine = quiz[quiz.lesson_id == o["number"]]
        out += ["Self-check questions:", ""]
        out += [f"- {q.question_en} *({q.kind})*" for q in mine.itertuples()] + [""]
    out += [
        "## Running a class",
        "",
        "1. Install once (see the README), or use the `.binder/` configuration on Binder or a JupyterHub.",
        "2. Each learner runs `bolivia-lessons lab` and works in their own copy; running it again never",
        "   overwrites their work.",
        "3. Keep the teacher copy (`bolivia-lessons export --teacher DIR`) for yourself; present a lesson",
        "   without code with `bolivia-lessons present NN`; print with `bolivia-lessons html DIR`.",
        "4. To add local events or sources, put CSV files of your own in a folder, check them with",
        "   `bolivia-lessons validate FOLDER`, and set `BOLIVIA_LESSONS_EXTRA=FOLDER` before starting",
        "   JupyterLab (the README explains the format).",
        "",
    ]
    return "\n".join(out)
