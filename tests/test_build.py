"""The lesson build: text sources become notebooks, the same bytes every time, and CI sees a stale one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import bolivia_lessons as bl
from bolivia_lessons import build
from bolivia_lessons.cli import main

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted((NOTEBOOKS / "src").glob("*/[0-9][0-9]_*.md"))
FIVE = NOTEBOOKS / "src" / "en" / "05_election_1956.md"
SENTENCE = "Each bar is one candidate."


def test_every_lesson_has_one_source_per_edition_and_one_built_notebook() -> None:
    lessons = bl.load_lessons()
    expected = [f"{r.lesson_id:02d}_{r.slug}" for r in lessons.sort_values("lesson_id").itertuples()]
    for lang in ("en",):
        assert [p.stem for p in build.lesson_sources(lang)] == expected
        assert sorted(p.stem for p in (NOTEBOOKS / lang).glob("*.ipynb")) == expected
    for source in SOURCES:
        head = source.read_text(encoding="utf-8").split("---", 2)[1]
        assert "format_name: myst" in head, f"{source.name}: jupytext md:myst front matter"


def test_committed_notebooks_match_their_sources(capsys: pytest.CaptureFixture[str]) -> None:
    """The build's own check over every edition: a stale notebook fails CI and is named."""
    status = main(["build", "--check"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "match their sources" in out


def _copy_tree(tmp_path: Path, source: Path) -> Path:
    """A notebooks/ folder holding one lesson's source and its committed notebook."""
    root = tmp_path / "notebooks"
    (root / "src" / "en").mkdir(parents=True)
    (root / "en").mkdir()
    shutil.copy(source, root / "src" / "en" / source.name)
    shutil.copy(NOTEBOOKS / "en" / f"{source.stem}.ipynb", root / "en" / f"{source.stem}.ipynb")
    return root / "src" / "en" / source.name


def test_an_edited_source_makes_its_notebook_stale_and_the_check_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy_tree(tmp_path, FIVE)
    text = copy.read_text(encoding="utf-8")
    assert SENTENCE in text
    copy.write_text(text.replace(SENTENCE, "Each bar shows one candidate."), encoding="utf-8")
    status = main(["build", "05", "--check", "--lang", "en", "--notebooks", str(tmp_path / "notebooks")])
    out = capsys.readouterr().out
    assert status == 1
    built = json.loads((NOTEBOOKS / "en" / "05_election_1956.ipynb").read_text(encoding="utf-8"))
    cell = next(i for i, c in enumerate(built["cells"], 1) if SENTENCE in "".join(c["source"]))
    assert "en/05_election_1956" in out and f"cell {cell} text" in out, out
    assert "Fix: bolivia-lessons build 05 --lang en" in out
    # the check wrote nothing; the build then brings the notebook up to date
    assert SENTENCE in (tmp_path / "notebooks" / "en" / "05_election_1956.ipynb").read_text(encoding="utf-8")
    assert main(["build", "05", "--lang", "en", "--notebooks", str(tmp_path / "notebooks")]) == 0
    assert main(["build", "05", "--check", "--lang", "en", "--notebooks", str(tmp_path / "notebooks")]) == 0


def test_editing_one_sentence_changes_that_cell_and_nothing_else(tmp_path: Path) -> None:
    copy = _copy_tree(tmp_path, FIVE)
    before = json.loads(build.build_notebook(copy, execute=False))
    copy.write_text(copy.read_text(encoding="utf-8").replace(SENTENCE, "Each bar shows one candidate."), "utf-8")
    after = json.loads(build.build_notebook(copy, execute=False))
    assert len(before["cells"]) == len(after["cells"])
    changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"])) if a != b]
    assert len(changed) == 1
    assert before["metadata"] == after["metadata"]


def test_inserting_a_cell_keeps_every_other_cell_id(tmp_path: Path) -> None:
    copy = _copy_tree(tmp_path, FIVE)
    before = json.loads(build.build_notebook(copy, execute=False))
    heading = "## 2. Look at the result"
    text = copy.read_text(encoding="utf-8").replace(heading, f"A new paragraph.\n\n+++\n\n{heading}")
    copy.write_text(text, encoding="utf-8")
    after = json.loads(build.build_notebook(copy, execute=False))
    assert len(after["cells"]) == len(before["cells"]) + 1
    assert {c["id"] for c in before["cells"]} < {c["id"] for c in after["cells"]}


def test_cell_ids_are_unique_and_valid_in_every_lesson() -> None:
    for source in SOURCES:
        nb = json.loads(build.build_notebook(source, execute=False))
        ids = [c["id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids)), source.name
        assert all(re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", i) for i in ids)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_title_cell_and_metadata_come_from_the_lesson_tables(source: Path) -> None:
    """Title, time, prerequisites, objectives and question are written once, in data/, and nowhere else."""
    lang, lesson_id = source.parent.name, int(source.name[:2])
    row = bl.load_lessons().set_index("lesson_id").loc[lesson_id]
    objectives = bl.load_lesson_objectives().query(f"lesson_id == {lesson_id}").sort_values("objective_no")
    nb = json.loads((NOTEBOOKS / lang / f"{source.stem}.ipynb").read_text(encoding="utf-8"))
    head = "".join(nb["cells"][0]["source"])
    assert nb["cells"][0]["id"] == build.HEADER_ID
    assert head == build.header_markdown(lesson_id, lang)
    assert row[f"title_{lang}"] in head and row[f"question_{lang}"] in head
    assert f"{row.minutes} " in head
    for n, text in enumerate(objectives[f"objective_{lang}"], 1):
        assert f"{n}. {text}" in head, "every objective whole, never cut"
    assert len(objectives) >= 3 and row[f"question_{lang}"].endswith("?")
    assert nb["metadata"]["title"].endswith(row[f"title_{lang}"])
    assert nb["metadata"]["bolivia_lessons"] == {
        "lesson_id": lesson_id,
        "lang": lang,
        "minutes": int(row.minutes),
        "source": f"src/{lang}/{source.name}",
    }
    # the title cell is not also written by hand in the source
    written = source.read_text(encoding="utf-8")
    assert "## " + build.word("lesson.objectives", lang) not in written
    assert build.word("lesson.number", lang, n=lesson_id) + " ·" not in written


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_built_notebooks_carry_nothing_that_differs_between_machines(source: Path) -> None:
    text = (NOTEBOOKS / source.parent.name / f"{source.stem}.ipynb").read_text(encoding="utf-8")
    nb = json.loads(text)
    assert nb["metadata"]["kernelspec"] == build.KERNELSPEC
    assert nb["metadata"]["language_info"] == build.LANGUAGE_INFO, "no Python version"
    assert (nb["nbformat"], nb["nbformat_minor"]) == (4, 5)
    assert "widget-view" not in text and "model_id" not in text and '"widgets"' not in text
    assert '"execution"' not in text, "no timings"
    for cell in nb["cells"]:
        assert set(cell["metadata"]) <= {"tags"}


def test_the_teachers_guide_is_built_from_the_tables_and_covers_every_lesson() -> None:
    guide = (NOTEBOOKS / "en" / "TEACHERS_GUIDE.md").read_text(encoding="utf-8")
    assert guide == build.teachers_guide("en"), "run: bolivia-lessons build"
    objectives = bl.load_lesson_objectives()
    for r in bl.load_lessons().itertuples():
        assert f"`{r.lesson_id:02d}_{r.slug}.ipynb` · {r.minutes} minutes" in guide
        for text in objectives.query(f"lesson_id == {r.lesson_id}").objective_en:
            assert text in guide
    for q in bl.load_quiz_questions().question_en:
        assert q in guide


def test_bad_sources_are_refused_with_what_to_fix(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks" / "src" / "en"
    folder.mkdir(parents=True)
    wrong_slug = folder / "05_elections.md"
    shutil.copy(FIVE, wrong_slug)
    with pytest.raises(build.BuildError, match="has the slug 'election_1956' in data/lessons.csv, not 'elections'"):
        build.convert(wrong_slug)
    unknown = folder / "42_answer.md"
    shutil.copy(FIVE, unknown)
    with pytest.raises(build.BuildError, match="lesson 42 is not in the lessons table"):
        build.convert(unknown)
    badly_named = folder / "five.md"
    shutil.copy(FIVE, badly_named)
    with pytest.raises(build.BuildError, match="named NN_slug.md"):
        build.convert(badly_named)


def test_a_failing_cell_names_the_lesson_and_the_build_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _copy_tree(tmp_path, FIVE)
    copy.write_text(copy.read_text(encoding="utf-8") + "\n```{code-cell} ipython3\n1 / 0\n```\n", "utf-8")
    assert main(["build", "05", "--lang", "en", "--notebooks", str(tmp_path / "notebooks")]) == 1
    err = capsys.readouterr().err
    assert "FAILED en/05_election_1956" in err and "ZeroDivisionError" in err
    assert "Traceback" not in err.split("ZeroDivisionError")[0].splitlines()[0]


def test_build_rejects_unknown_lessons_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "77", "--check"]) == 2
    assert "no source for lesson 77" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["build", "--jobs", "0"])
    assert "expected 1 or more" in capsys.readouterr().err
