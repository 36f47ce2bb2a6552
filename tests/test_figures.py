"""Every figure a lesson states comes from the data: no number in the prose rests on memory.

A large number (five or more digits, or written with thousands separators) must be within 1 % of
a number in a data table (a lesson may round: "about 933,000 valid votes"); a percentage must be
within half a point of a percentage in the data (a ``*_pct`` column or a figure given with "%" in
a cell). Years, and the numbers inside code cells, are left out.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import bolivia_lessons as bl
from bolivia_lessons import build

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for lang in ("en", "es") for p in build.lesson_sources(lang, ROOT / "notebooks")]
# thousands and decimal separators as each edition writes them
SEPARATORS = {"en": (",", "."), "es": (".", ",")}


def data_figures() -> tuple[list[float], list[float]]:
    """The large numbers and the percentages found anywhere in the data tables."""
    big, pct = set(), set()
    for path in sorted(bl.data_dir().glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        for row in rows[1:]:
            for column, cell in zip(rows[0], row):
                if column.endswith("_pct") and cell:
                    pct.add(float(cell))
                for m in re.finditer(r"(\d+(?:[.,]\d+)?)\s?(?:%|per cent|por ciento)", cell):
                    pct.add(float(m.group(1).replace(",", ".")))
                for m in re.finditer(r"\d{1,3}(?:[,.]\d{3})+(?![\d])|\d{4,}", cell):
                    big.add(float(re.sub(r"[,.]", "", m.group(0))))
    return sorted(big), sorted(pct)


BIG, PCT = data_figures()


def figures(text: str, lang: str) -> list[tuple[str, float, bool]]:
    """(as written, value, is a percentage) for every large number and percentage of the prose."""
    thousands, decimal = (re.escape(s) for s in SEPARATORS[lang])
    pattern = re.compile(
        rf"(?<![\w.,])(\d{{1,3}}(?:{thousands}\d{{3}})+|\d{{5,}})(?![\w])"
        rf"|(\d+(?:{decimal}\d+)?)\s?(?:%|per cent|por ciento)"
    )
    out = []
    for m in pattern.finditer(text):
        if m.group(1):
            out.append((m.group(0), float(re.sub(thousands, "", m.group(1))), False))
        else:
            out.append((m.group(0), float(m.group(2).replace(SEPARATORS[lang][1], ".")), True))
    return out


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}-{p.stem}")
def test_every_figure_in_a_lesson_is_in_the_data(source: Path) -> None:
    lang = source.parent.name
    prose = re.sub(r"```.*?```|https?://\S+", " ", source.read_text(encoding="utf-8"), flags=re.S)
    unsupported = [
        written
        for written, value, is_pct in figures(prose, lang)
        if not (
            any(abs(value - p) <= 0.5 for p in PCT) if is_pct else any(abs(value - b) <= abs(b) * 0.01 for b in BIG)
        )
    ]
    assert not unsupported, f"{source.name}: figures found in no table: {unsupported}"


def test_the_check_has_teeth() -> None:
    found = figures("Siles won 787,792 votes, 84.45 % of them; a made-up 123,456 and 61.3 %.", "en")
    assert [w for w, *_ in found] == ["787,792", "84.45 %", "123,456", "61.3 %"]
    assert any(abs(787792 - b) < 1 for b in BIG) and not any(abs(123456 - b) <= 1234 for b in BIG)
    assert [w for w, *_ in figures("obtuvo 787.792 votos, el 84,45 %", "es")] == ["787.792", "84,45 %"]
