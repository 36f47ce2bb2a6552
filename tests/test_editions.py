"""The English and Spanish editions cannot drift apart: same cells, code, tags, documents and quizzes.

A Spanish lesson is a translation of its English twin, cell for cell. Its code differs in one
call only: ``setup(lang="es")``, which makes every chart, explorer, table, document card and quiz
of the notebook Spanish.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bolivia_lessons import build

ROOT = Path(__file__).resolve().parents[1]
SPANISH = build.lesson_sources("es", ROOT / "notebooks")
pytestmark = pytest.mark.skipif(not SPANISH, reason="no Spanish edition yet")


def cells(lang: str, stem: str) -> list[dict]:
    return json.loads((ROOT / "notebooks" / lang / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]


def code_of(cell: dict) -> str:
    return "".join(cell["source"]).replace('setup(lang="es")', "setup()")


def test_every_english_lesson_has_a_spanish_twin() -> None:
    english = [p.name for p in build.lesson_sources("en", ROOT / "notebooks")]
    assert [p.name for p in SPANISH] == english


@pytest.mark.parametrize("source", SPANISH, ids=lambda p: p.stem)
def test_the_two_editions_have_the_same_cells_code_tags_documents_and_quizzes(source: Path) -> None:
    en, es = cells("en", source.stem), cells("es", source.stem)
    assert [c["cell_type"] for c in es] == [c["cell_type"] for c in en]
    assert [c["metadata"].get("tags", []) for c in es] == [c["metadata"].get("tags", []) for c in en]
    assert [code_of(c) for c in es if c["cell_type"] == "code"] == [
        "".join(c["source"]) for c in en if c["cell_type"] == "code"
    ]
    setup = next(c for c in es if c["cell_type"] == "code")
    assert 'setup(lang="es")' in "".join(setup["source"])
    # the same documents and the same quiz, found through the code that shows them
    found = re.compile(r'documents\.document\("([^"]+)"\)|quiz\(lesson_id=(\d+)\)')
    assert found.findall("\n".join(code_of(c) for c in es)) == found.findall(
        "\n".join("".join(c["source"]) for c in en)
    )


HEADINGS = [
    "Your turn",
    "Your answer",
    "Teacher notes",
    "Write your answer here",
    "Summary",
    "Sources and further reading",
    "Learning objectives",
    "Guiding question",
    "Headnote",
    "The document, in our words",
    "Check yourself",
    "run this cell",
]
COMMON_WORDS = [" the ", " and the ", " which ", " this lesson"]
QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|\*[^*\n]+\*|https?://\S+|`[^`]*`|\([^()\n]*\)')


@pytest.mark.parametrize("source", SPANISH, ids=lambda p: p.stem)
def test_a_spanish_learner_meets_no_english_words_of_ours(source: Path) -> None:
    """Headings, instructions, charts, tables and cards are Spanish; English appears only in quotations and titles."""
    prose, shown = [], []
    for c in cells("es", source.stem):
        if c["cell_type"] == "markdown":
            prose.append(QUOTED.sub(" ", "".join(c["source"])))
        for out in c.get("outputs", []):
            data = out.get("data", {})
            shown.append("".join(data.get("text/plain", "")) + "".join(out.get("text", "")))
            shown.append(re.sub(r"<[^>]+>", " ", "".join(data.get("text/html", ""))))
    everything = "\n".join(prose + shown)
    assert not [m for m in HEADINGS if m in everything], source.stem
    words = [m for m in COMMON_WORDS if m in "\n".join(prose)]
    assert not words, f"English prose in {source.stem}: {words}"
