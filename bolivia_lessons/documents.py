"""Primary documents as learners read them: headnote, rendering, adapted version, key words, source.

Each card shows the headnote, the document in our words, a version adapted for younger readers,
the key words of the original, and where to read the whole of it.

The reader is plain HTML with disclosure elements (``<details>``): a learner reads the headnote,
then opens the rendering, the adapted version or the key phrases with the mouse or the keyboard
(Tab to a heading, Enter or Space to open it), and a screen reader announces each part by its
heading. Nothing needs a running kernel, so the same card is compared by nbval, shown by Voilà and
printed in full by the html export.

Examples
--------
>>> card = document("1953_agrarian_reform_decree", lang="en")
>>> card.meta[0]
('Kind', 'decree or law')

"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from . import loaders
from .text import citation, localized, long_date, resolve_lang, word

__all__ = ["DocumentCard", "document", "lesson_documents", "sourcing_questions"]


def _date(value: object, precision: object, lang: str) -> str:
    text = str(value)
    if precision == "day":
        return long_date(pd.Timestamp(text).date(), lang)
    if precision == "month":
        year, month = text[:4], int(text[5:7])
        return word("date.month_year", lang, month=word(f"date.month.{month}", lang), year=year)
    return text[:4]


@dataclass(frozen=True)
class DocumentCard:
    """One document, ready to show: ``_repr_html_`` for notebooks and pages, ``str`` as plain text."""

    document_id: str
    lang: str
    title: str
    meta: list[tuple[str, str]]
    headnote: str
    text: str
    adapted: str
    phrases: list[tuple[str, str, str]]  # (original, its language, translation or "")
    source: str

    def _parts(self) -> dict[str, str]:
        lang = self.lang
        return {
            "headnote": word("doc.headnote", lang),
            "text": word("doc.text", lang),
            "adapted": word("doc.adapted", lang),
            "phrases": word("doc.phrases", lang),
            "source": word("doc.source", lang),
            "ask": word("doc.ask", lang),
        }

    def _repr_html_(self) -> str:
        e = html.escape
        w = self._parts()
        meta = " · ".join(f"<b>{e(k)}:</b> {e(v)}" for k, v in self.meta)
        phrases = "".join(
            f'<li><q lang="{e(code)}">{e(original)}</q>' + (f" — {e(meaning)}" if meaning else "") + "</li>"
            for original, code, meaning in self.phrases
        )
        asks = "".join(f"<li>{e(q)}</li>" for q in sourcing_questions(self.lang))
        anchor = f"doc-{e(self.document_id)}-{self.lang}"
        return (
            f'<article class="bl-document" data-document="{e(self.document_id)}" lang="{self.lang}" '
            f'aria-labelledby="{anchor}" '
            'style="border-left:4px solid #0072B2;padding:0.2em 0 0.2em 0.9em;margin:0.8em 0">'
            f'<h4 id="{anchor}" style="margin-top:0.2em">{e(self.title)}</h4>'
            f'<p class="bl-doc-meta">{meta}</p>'
            f'<p class="bl-headnote"><b>{e(w["headnote"])}</b> {e(self.headnote)}</p>'
            f'<details class="bl-doc-text" open><summary><b>{e(w["text"])}</b></summary><p>{e(self.text)}</p></details>'
            f'<details class="bl-doc-adapted"><summary><b>{e(w["adapted"])}</b></summary><p>{e(self.adapted)}</p>'
            "</details>"
            f'<details class="bl-doc-phrases"><summary><b>{e(w["phrases"])}</b></summary><ul>{phrases}</ul></details>'
            f'<details class="bl-doc-ask"><summary><b>{e(w["ask"])}</b></summary><ul>{asks}</ul></details>'
            f'<p class="bl-doc-source"><b>{e(w["source"])}</b> {self.source}</p>'
            "</article>"
        )

    def __str__(self) -> str:
        w = self._parts()
        lines = [self.title, " · ".join(f"{k}: {v}" for k, v in self.meta), "", f"{w['headnote']} {self.headnote}"]
        lines += ["", w["text"], self.text, "", w["adapted"], self.adapted, "", w["phrases"]]
        lines += [f'- "{o}"' + (f" — {m}" if m else "") for o, _, m in self.phrases]
        lines += ["", f"{w['source']} {html.unescape(_strip_tags(self.source))}"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def _strip_tags(text: str) -> str:
    return text.replace("<i>", "").replace("</i>", "")


def document(document_id: str, *, lang: str | None = None) -> DocumentCard:
    """One primary document, as a card a notebook shows (make it the last line of a cell).

    Parameters
    ----------
    document_id : str
        A ``documents.document_id``.
    lang : {"en", "es"}, optional
        The language of the card; the notebook's language by default. The key phrases always
        stay in the document's original language, with their meaning in ``lang``.

    Returns
    -------
    DocumentCard

    Raises
    ------
    ValueError
        If there is no such document.

    """
    lang = resolve_lang(lang)
    docs = loaders.load_documents().set_index("document_id")
    if document_id not in docs.index:
        raise ValueError(f"no document {document_id!r}; see bolivia_lessons.load_documents()")
    d = docs.loc[document_id]
    quotes = loaders.load_document_quotes()
    quotes = quotes[quotes.document_id == document_id].sort_values("quote_no")
    sources = loaders.load_sources().set_index("source_id")
    s = sources.loc[d.source_id]
    original = str(d.original_language)
    phrases = [
        (str(q.quote), original, "" if pd.isna(getattr(q, f"quote_{lang}")) else str(getattr(q, f"quote_{lang}")))
        for q in quotes.itertuples()
    ]
    meta = [
        (word("doc.kind", lang), word(f"enum.documents.kind.{d.kind}", lang)),
        (word("doc.author", lang), str(localized(d, "author", lang))),
        (word("doc.date", lang), _date(d.date, d.date_precision, lang)),
    ]
    if pd.notna(d.place):
        meta.append((word("doc.place", lang), str(localized(d, "place", lang))))
    meta.append((word("doc.language", lang), word(f"enum.documents.original_language.{original}", lang)))
    meta.append((word("doc.perspective", lang), str(localized(d, "perspective", lang))))
    return DocumentCard(
        document_id=document_id,
        lang=lang,
        title=str(d[f"title_{lang}"]),
        meta=meta,
        headnote=str(d[f"headnote_{lang}"]),
        text=str(d[f"text_{lang}"]),
        adapted=str(d[f"adapted_{lang}"]),
        phrases=phrases,
        source=citation(
            localized(s, "author", lang),
            localized(s, "title", lang),
            localized(s, "publication", lang),
            s.year,
            localized(d, "locator", lang),
        ),
    )


def lesson_documents(lesson_id: int, *, lang: str | None = None) -> pd.DataFrame:
    """The documents of one lesson in date order: title, kind, author, date and perspective.

    Parameters
    ----------
    lesson_id : int
        A ``lessons.lesson_id``.
    lang : {"en", "es"}, optional
        Language of titles and column names.

    Returns
    -------
    pandas.DataFrame
        One row per document, numbered from 1.

    """
    lang = resolve_lang(lang)
    docs = loaders.load_documents()
    docs = docs[docs.lesson_id == lesson_id].sort_values(["date", "document_id"], key=lambda c: c.astype(str))
    out = pd.DataFrame(
        {
            word("table.title", lang): docs[f"title_{lang}"].to_numpy(),
            word("doc.kind", lang): [word(f"enum.documents.kind.{k}", lang) for k in docs.kind],
            word("doc.author", lang): [localized(r, "author", lang) for _, r in docs.iterrows()],
            word("doc.date", lang): [_date(v, p, lang) for v, p in zip(docs.date, docs.date_precision)],
            word("doc.perspective", lang): [localized(r, "perspective", lang) for _, r in docs.iterrows()],
        }
    )
    out.index = pd.RangeIndex(1, len(out) + 1)
    return out


def sourcing_questions(lang: str | None = None) -> Sequence[str]:
    """The questions a historian asks of every document before trusting it (Reading Like a Historian).

    Examples
    --------
    >>> sourcing_questions("en")[0]
    'Who wrote it, and what was their position?'

    """
    lang = resolve_lang(lang)
    return [word(f"doc.ask.{n}", lang) for n in range(1, 6)]
