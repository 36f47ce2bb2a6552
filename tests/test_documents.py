"""Primary documents: the table's promises (every part, in both languages, exact key words, a locator)
and the card learners read (complete, escaped, in the notebook's language, printable)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import bolivia_lessons as bl
from bolivia_lessons import classroom, documents, text

DOCS = bl.load_documents()
QUOTES = bl.load_document_quotes()


def words(value: object) -> int:
    return len(str(value).split())


def test_at_least_forty_documents_across_the_whole_period_and_every_lesson() -> None:
    assert len(DOCS) >= 40
    years = sorted(int(str(d)[:4]) for d in DOCS.date)
    assert years[0] <= 1946 and years[-1] >= 2019
    decades = {y // 10 * 10 for y in years}
    assert {1930, 1940, 1950, 1960, 1970, 1980, 2000, 2010, 2020} <= decades, decades
    per_lesson = DOCS.groupby("lesson_id").size()
    assert set(per_lesson.index) == set(bl.load_lessons().lesson_id)
    assert per_lesson.min() >= 2
    assert DOCS.kind.nunique() >= 7, "many kinds of document"


@pytest.mark.parametrize("lang", text.LANGS)
def test_every_document_has_every_part_at_its_length(lang: str) -> None:
    for d in DOCS.itertuples():
        assert 20 <= words(getattr(d, f"headnote_{lang}")) <= 110, (d.document_id, "headnote")
        assert 60 <= words(getattr(d, f"text_{lang}")) <= 280, (d.document_id, "text")
        assert 30 <= words(getattr(d, f"adapted_{lang}")) <= 140, (d.document_id, "adapted")
        assert words(getattr(d, f"adapted_{lang}")) < words(getattr(d, f"text_{lang}")), d.document_id
        assert str(d.locator).strip(), d.document_id


def test_key_words_are_short_quoted_exactly_and_translated() -> None:
    original = dict(zip(DOCS.document_id, DOCS.original_language))
    per_doc = QUOTES.groupby("document_id").size()
    assert set(per_doc.index) == set(DOCS.document_id) and per_doc.min() >= 3
    for q in QUOTES.itertuples():
        lang = original[q.document_id]
        assert len(str(q.quote)) <= 320, (q.document_id, q.quote_no)
        assert not str(q.quote).startswith(('"', "«", "“")), "quotation marks are added by the card"
        for other in text.LANGS:
            meaning = getattr(q, f"quote_{other}")
            if other != lang:
                assert isinstance(meaning, str) and meaning.strip(), (q.document_id, q.quote_no, other)


def test_a_card_shows_headnote_text_adapted_version_key_words_and_source() -> None:
    d = DOCS.iloc[0]
    card = documents.document(d.document_id, lang="en")
    page = card._repr_html_()
    for part in ("headnote_en", "text_en", "adapted_en"):
        assert re.sub(r"\s+", " ", str(d[part]))[:60].replace("'", "&#x27;").replace('"', "&quot;") in page
    n_quotes = int((QUOTES.document_id == d.document_id).sum())
    assert page.count(f'<q lang="{d.original_language}">') == n_quotes
    assert page.count("<details") == 4 and "<summary>" in page, "each part opens with the keyboard"
    assert 'aria-labelledby="doc-' in page and str(d.locator)[:20] in page
    assert str(d.title_en) in str(card) and str(d.text_en)[:50] in str(card), "plain text for screen readers"


def test_the_card_follows_the_notebook_language() -> None:
    d = DOCS.iloc[1]
    try:
        text.set_lang("es")
        card = documents.document(d.document_id)
        assert card.lang == "es" and str(d.title_es) in str(card) and "Presentación." in str(card)
        assert documents.document(d.document_id, lang="en").lang == "en"
    finally:
        text.set_lang("en")


def test_unknown_document_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no document 'nope'"):
        documents.document("nope")


def test_text_from_a_teachers_file_is_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    head = list(DOCS.columns)
    row = {c: str(DOCS.iloc[0][c]) for c in head}
    row.update(
        document_id="1999_hostile",
        title_en="<img src=x onerror=alert(1)> T",
        headnote_en="<script>alert(2)</script> " + row["headnote_en"],
        event_id="",
    )
    with (extra / "documents.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=head, lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    with (extra / "document_quotes.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(QUOTES.columns)
        for n in (1, 2, 3):
            writer.writerow(["1999_hostile", n, "<b>x</b>", "x", "x"])
    assert bl.check(bl.data_dir(), extra) == []
    monkeypatch.setenv("BOLIVIA_LESSONS_EXTRA", str(extra))
    page = documents.document("1999_hostile", lang="en")._repr_html_()
    assert "<img" not in page and "<script" not in page and "<b>x</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; T" in page


def test_lesson_documents_lists_a_lessons_documents_in_date_order() -> None:
    table = documents.lesson_documents(4, lang="es")
    mine = DOCS[DOCS.lesson_id == 4]
    assert len(table) == len(mine) and list(table.index) == list(range(1, len(mine) + 1))
    assert list(table.columns) == ["Título", "Tipo", "Autor", "Fecha", "Perspectiva"]
    assert "document_id" not in table.columns, "no internal ids"


def test_every_lesson_shows_at_least_two_documents_and_asks_for_a_written_answer() -> None:
    for path in classroom.lesson_paths("en"):
        nb = classroom.read_notebook(path)
        shown = {
            m
            for c in nb["cells"]
            if c["cell_type"] == "code"
            for m in re.findall(r'documents\.document\("([a-z0-9_]+)"\)', "".join(c["source"]))
        }
        assert len(shown) >= 2, path.name
        assert shown <= set(DOCS.document_id), path.name
        prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        assert "## Your answer" in prose and "*Write your answer here.*" in prose, path.name


def test_printable_packets_hold_the_documents_an_organizer_and_room_to_write(tmp_path: Path) -> None:
    report = classroom.export_packets(tmp_path)
    assert len(report.written) == len(classroom.lesson_paths("en")) and not report.refused
    page = (tmp_path / "05_election_1956_packet.html").read_text(encoding="utf-8")
    assert page.count('class="bl-document"') >= 2 and "<details open" in page
    assert "Sourcing organizer" in page and page.count("class='lines'") == 3
    assert "<script" not in page and "http" not in page.split("<body>")[0], "nothing fetched"
    assert "@page" in page and "180mm" in page
