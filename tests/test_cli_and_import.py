"""The command line, the import's footprint, ruff, and the reference validator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import set_cell

import bolivia_lessons as bl
from bolivia_lessons.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_validate_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: the data package in ") and f"{len(bl.list_tables())} tables, no problems" in out


def test_validate_prints_every_problem_and_fails(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = set_cell(data_copy / "events.csv", "1952_04_09_insurrection_begins", "category", "party")
    b = set_cell(data_copy / "people.csv", "lechin", "born_year", "19l4")
    assert main(["validate", str(data_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"2 problems in the data package in {data_copy}:"
    listed = "\n".join(out[1:])
    assert len(out) == 3
    assert f"events.csv, row {a}, column 'category': value 'party'" in listed
    assert f"people.csv, row {b}, column 'born_year': value '19l4'" in listed


def test_validate_a_teachers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "glossary_extra.csv"
    path.write_text(
        "term_id,term_en,term_es,definition_en,definition_es,lesson_id,source_id\n"
        "ayni,ayni,ayni,Reciprocal labour.,Trabajo recíproco.,1,nowhere\n",
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "glossary_extra.csv, row 2, column 'source_id': value 'nowhere'" in out


def test_console_script_runs() -> None:
    script = Path(sys.executable).with_name("bolivia-lessons")
    result = subprocess.run([str(script), "validate"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_does_not_pull_in_matplotlib_or_ipywidgets() -> None:
    code = "import sys, bolivia_lessons; print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_frictionless_reference_validator_accepts_the_package() -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(bl.data_dir() / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors] + [e.message for e in report.errors]
    assert report.valid, errors[:10]


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "bolivia_lessons", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
