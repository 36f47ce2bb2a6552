"""The lessons: each has the parts a lesson needs, and nbval's comparison of their outputs has teeth.

nbval itself runs on every notebook as part of the test command (see ``addopts`` in
pyproject.toml); these tests check what nbval cannot: the structure of each lesson, and that a
changed value in the data really makes nbval fail.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bolivia_lessons as bl

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks" / "en").glob("[0-9][0-9]_*.ipynb"))
IGNORE = "nbval-ignore-output"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text_of(nb: dict, cell_type: str | None = None) -> str:
    return "\n".join("".join(c["source"]) for c in nb["cells"] if cell_type in (None, c["cell_type"]))


def test_there_is_one_notebook_per_lesson() -> None:
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == sorted(bl.load_lessons().lesson_id.tolist())
    slugs = bl.load_lessons().set_index("lesson_id").slug
    assert [p.name for p in NOTEBOOKS] == [f"{n:02d}_{slugs[n]}.ipynb" for n in numbers]
    for p in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", p.name), p.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_has_every_part(path: Path) -> None:
    nb = load(path)
    md, code = text_of(nb, "markdown"), text_of(nb, "code")
    lesson = int(path.name[:2])
    for part in ["Learning objectives", "Guiding question", "Estimated time", "Summary", "Sources and further reading"]:
        assert part.lower() in md.lower(), f"{path.name} lacks '{part}'"
    assert "Your turn" in md, "a source-reading activity"
    assert re.search(r"think(ing)?[- ]aloud", md, flags=re.I), "a think-aloud that models sourcing"
    assert code.count("documents.document(") >= 2, "documents to read"
    assert "charts.plot_" in code, "at least one chart"
    assert f"widgets.quiz(lesson_id={lesson})" in code
    questions = bl.load_quiz_questions().query(f"lesson_id == {lesson}")
    assert len(questions) >= 3
    assert (questions.skill == "applied").sum() * 2 >= len(questions), "at least half apply a skill"
    tagged = ["".join(c["source"]) for c in nb["cells"] if "teacher" in c["metadata"].get("tags", [])]
    assert tagged and all(re.match(r"(> )?\*\*Teacher notes", text) for text in tagged)
    assert any("rubric" in text.lower() for text in tagged), "a rubric for the written answer"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_are_committed_and_charts_are_svg(path: Path) -> None:
    nb = load(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] or not c["source"] or "setup(" in "".join(c["source"]) for c in code), "run before commit"
    outputs = [o for c in code for o in c["outputs"]]
    charts = [
        "".join(o["data"]["text/html"]) for o in outputs if "<svg" in "".join(o.get("data", {}).get("text/html", ""))
    ]
    assert charts, "at least one chart, stored as SVG text"
    # a chart is named by its text alternative: JupyterLab gives an image/svg+xml output no alt
    assert all(c.startswith('<figure role="img" aria-label="') for c in charts)
    assert not any("image/svg+xml" in o.get("data", {}) for o in outputs), "every chart with its text alternative"
    assert not any("image/png" in o.get("data", {}) for o in outputs), "PNG is not compared by nbval"
    assert not any(o["output_type"] == "error" for o in outputs)
    assert not any("<dc:date>" in c for c in charts), "SVG without a date"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_widgets_are_tagged_and_store_no_state(path: Path) -> None:
    """Explorer cells are tagged for nbval and keep only a line of text: no widget state, no model ids."""
    nb = load(path)
    assert "widgets" not in nb["metadata"], "widget state is never stored"
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in c["outputs"])
        shows_explorer = re.search(r"widgets\.\w+\(", "".join(c["source"])) is not None
        assert shows_explorer == (IGNORE in c["metadata"].get("tags", [])), "".join(c["source"])
        if shows_explorer:
            (out,) = c["outputs"]
            text = "".join(out["data"]["text/plain"])
            assert "\n" not in text and len(text) < 120 and "VBox" not in text, text
    assert any(IGNORE in c["metadata"].get("tags", []) for c in nb["cells"]), "at least one explorer"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lessons_use_only_the_public_api(path: Path) -> None:
    code = text_of(load(path), "code")
    imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", code, flags=re.M)
    assert set(imports) <= {"bolivia_lessons", "bolivia_lessons.notebook"}, imports
    assert not re.search(r"\b_[a-z]\w*\(", code.replace("__", "")), "private helpers"
    assert "plt." not in code and "random" not in code


def _set(path: Path, key_column: str, key: str, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    for row in rows[1:]:
        if row[head.index(key_column)] == key:
            row[head.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.mark.slow
def test_nbval_fails_when_one_value_in_the_data_changes(tmp_path: Path) -> None:
    """One more vote for Siles Zuazo (and one more valid vote, so the data stays valid) must fail nbval."""
    data = tmp_path / "data"
    shutil.copytree(bl.data_dir(), data)
    with (data / "election_results.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    siles = next(r for r in rows if r["election_id"] == "1956_general" and r["candidate_id"] == "siles_zuazo")
    _set(data / "election_results.csv", "candidate_id", "siles_zuazo", "votes", str(int(siles["votes"]) + 1))
    _set(data / "elections.csv", "election_id", "1956_general", "valid_votes", "932889")
    bl.check(data)  # still a valid data package: only the value differs
    lesson = next(p for p in NOTEBOOKS if p.name.startswith("05_"))
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-o", "addopts=", "--nbval"]
    args += ["--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(lesson)]
    same = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env={**os.environ}, timeout=300)
    assert same.returncode == 0, same.stdout[-3000:]
    env = {**os.environ, "BOLIVIA_LESSONS_DATA": str(data)}
    changed = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert changed.returncode != 0
    assert "787,793" in changed.stdout or "787793" in changed.stdout, changed.stdout[-3000:]


@pytest.mark.parametrize(
    "path", sorted((ROOT / "notebooks").glob("*/[0-9][0-9]_*.ipynb")), ids=lambda p: f"{p.parent.name}-{p.stem}"
)
def test_no_dollar_sign_turns_prose_into_maths(path: Path) -> None:
    """JupyterLab and Voilà read text between two "$" as maths: "US$100,000 in 1958 to US$3.2 million"
    came out as italic symbols. Every dollar sign in a lesson's prose is escaped."""
    nb = load(path)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            assert not re.search(r"(?<!\\)\$", text), text[:200]
