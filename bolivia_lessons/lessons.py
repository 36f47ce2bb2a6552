"""Tables that lessons show: a lesson's events, the sources behind them, a dispute side by side.

These return plain DataFrames with readable column names, so a notebook cell shows them as a
table (and nbval compares them as text). They only read the data set; nothing is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from . import loaders
from .text import citation, date_text, localized, number, resolve_lang, said, word

__all__ = [
    "claim_table",
    "election_table",
    "glossary",
    "lesson_events",
    "lesson_list",
    "lesson_sources",
    "source_cards",
]


def _heads(lang: str, *keys: str) -> list[str]:
    """Column headings: the catalogue's words for ``keys``."""
    return [word(k, lang) for k in keys]


def lesson_events(lesson_id: int, *, key_only: bool = False, lang: str | None = None) -> pd.DataFrame:
    """The events of one lesson in date order: date, title, category and place.

    Parameters
    ----------
    lesson_id : int
        A ``lessons.lesson_id``.
    key_only : bool
        Only the turning points (``key_event``).
    lang : {"en", "es"}, optional
        Language of titles, categories and column names; the notebook's language when omitted.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``event_id``.

    Examples
    --------
    >>> lesson_events(2, lang="es").columns.tolist()
    ['Fecha', 'Acontecimiento', 'Categoría', 'Lugar']

    """
    lang = resolve_lang(lang)
    events = loaders.load_events()
    if lesson_id not in set(loaders.load_lessons().lesson_id):
        raise ValueError(f"no lesson {lesson_id!r}")
    chosen = events[(events.lesson_id == lesson_id) & (events.key_event | (not key_only))]
    places = loaders.load_places().set_index("place_id")["name"]
    date, event, category, place = _heads(lang, "table.date", "table.event", "table.category", "table.place")
    out = pd.DataFrame(
        {
            date: [_span(s, e, lang) for s, e in zip(chosen.start_date, chosen.end_date)],
            event: chosen[f"title_{lang}"],
            category: [word(f"enum.events.category.{c}", lang) for c in chosen.category],
            place: [places.get(p, "") if isinstance(p, str) else "" for p in chosen.place_id],
        },
        index=chosen.index,
    )
    out.index = pd.Index(chosen.event_id, name="event_id")
    return out


def _span(start: object, end: object, lang: str) -> str:
    if end is None or (not isinstance(end, pd.Period) and pd.isna(end)):
        return date_text(start, lang)
    return f"{date_text(start, lang)} – {date_text(end, lang)}"


def source_cards(source_ids: Sequence[str], *, lang: str | None = None) -> pd.DataFrame:
    """Who wrote each source, where, when, what kind of source it is and from which perspective.

    The questions of sourcing, in a table: use it before reading what a source says.

    Parameters
    ----------
    source_ids : sequence of str
        ``sources.source_id`` values, shown in this order.
    lang : {"en", "es"}, optional
        Language of the column names and kinds of source; the notebook's language when omitted.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``source_id``.

    Examples
    --------
    >>> source_cards(["sagra_2004"], lang="es").loc["sagra_2004", "Tipo"]
    'secundaria'

    """
    lang = resolve_lang(lang)
    sources = loaders.load_sources().set_index("source_id")
    unknown = [s for s in source_ids if s not in sources.index]
    if unknown:
        raise ValueError(f"unknown source ids: {', '.join(unknown)}")
    s = sources.loc[list(source_ids)]
    author, title, publication, year, kind, perspective = _heads(
        lang, "table.author", "table.title", "table.publication", "table.year", "table.kind", "table.perspective"
    )
    return pd.DataFrame(
        {
            author: [localized(r, "author", lang) for _, r in s.iterrows()],
            title: [localized(r, "title", lang) for _, r in s.iterrows()],
            publication: [localized(r, "publication", lang) for _, r in s.iterrows()],
            year: s.year.astype("string").fillna(word("term.no_date", lang)),  # words, not "?" or "n.d."
            kind: [word(f"enum.sources.kind.{k}", lang) for k in s.kind],
            perspective: [localized(r, "perspective", lang) for _, r in s.iterrows()],
        },
        index=s.index,
    )


def lesson_sources(lesson_id: int, *, lang: str | None = None) -> pd.DataFrame:
    """Every source cited by a lesson's events, with how many of those events each one supports.

    Parameters
    ----------
    lesson_id : int
        A ``lessons.lesson_id``.
    lang : {"en", "es"}, optional
        Language of the column names and kinds of source; the notebook's language when omitted.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``source_id``, most-cited first, then by author.

    """
    lang = resolve_lang(lang)
    events = loaders.load_events()
    ids = set(events.event_id[events.lesson_id == lesson_id])
    links = loaders.load_event_sources()
    counts = links[links.event_id.isin(ids)].groupby("source_id").size()
    cards = source_cards(list(counts.index), lang=lang)
    cards.insert(0, word("table.events", lang), counts.loc[cards.index].to_numpy())
    author = word("table.author", lang)
    order = sorted(cards.index, key=lambda s: (-counts[s], str(cards.loc[s, author]).lower(), s))
    return cards.loc[order]


def claim_table(claim_id: str, *, lang: str | None = None) -> pd.DataFrame:
    """Every version of one disputed date, figure or name, side by side with its source.

    Parameters
    ----------
    claim_id : str
        A ``claims.claim_id``.
    lang : {"en", "es"}, optional
        Language of notes and column names; the notebook's language when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per version; the question is in ``DataFrame.attrs["question"]``.

    Examples
    --------
    >>> claim_table("cob_founding_date", lang="en").columns.tolist()
    ['Source', 'Perspective', 'Says', 'Adopted in these lessons?', 'Note']

    """
    lang = resolve_lang(lang)
    claims = loaders.load_claims().set_index("claim_id")
    if claim_id not in claims.index:
        raise ValueError(f"no claim {claim_id!r}")
    versions = loaders.load_claim_versions()
    v = versions[versions.claim_id == claim_id].merge(loaders.load_sources(), on="source_id")
    yes, no = word("table.yes", lang), word("table.no", lang)
    source, perspective, says, accepted, note = _heads(
        lang, "table.source", "table.perspective", "table.says", "table.accepted", "table.note"
    )
    out = pd.DataFrame(
        {
            # the short form of a citation: a table cell, where the publication would crowd the rest out
            source: [
                citation(localized(r, "author", lang), localized(r, "title", lang), year=r.year, markup=False)
                for _, r in v.iterrows()
            ],
            perspective: [localized(r, "perspective", lang) for _, r in v.iterrows()],
            says: [said(r, "value", lang) for _, r in v.iterrows()],
            accepted: [yes if a else no for a in v.accepted],
            note: v[f"note_{lang}"].fillna("").to_numpy(),
        }
    )
    out.attrs["question"] = str(claims.loc[claim_id, f"question_{lang}"])
    return out


def election_table(election_id: str = "1956_general", *, lang: str | None = None) -> pd.DataFrame:
    """An election's result as learners read it: candidate, party, votes and share, largest first.

    Parameters
    ----------
    election_id : str
        An ``elections.election_id`` such as ``"1956_general"``.
    lang : {"en", "es"}, optional
        Language of the headings and of the number formats; the notebook's language by default.

    Returns
    -------
    pandas.DataFrame
        Numbered from 1; votes and shares written as readers of ``lang`` write them.

    Examples
    --------
    >>> election_table("1956_general", lang="es").iloc[0].tolist()
    ['Hernán Siles Zuazo', 'MNR', '787.792', '84,45 %']

    """
    from .charts import election_data

    lang = resolve_lang(lang)
    data = election_data(election_id)
    candidate, party, votes, share = _heads(lang, "table.candidate", "table.party", "table.votes", "table.share")
    out = pd.DataFrame(
        {
            candidate: data.candidate.to_numpy(),
            party: data.party.to_numpy(),
            votes: [number(int(v), lang) for v in data.votes],
            share: [f"{number(float(s), lang, 2)} %" if pd.notna(s) else "" for s in data.share_pct],
        }
    )
    out.index = pd.RangeIndex(1, len(out) + 1)
    return out


def lesson_list(*, lang: str | None = None) -> pd.DataFrame:
    """Every lesson of the course: number, title, time and guiding question, from the lessons table.

    Parameters
    ----------
    lang : {"en", "es"}, optional
        Language of titles, questions and headings; the notebook's language by default.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> lesson_list(lang="en").iloc[5, :2].tolist()
    ['05', 'The 1956 election: counting a new electorate']

    """
    lang = resolve_lang(lang)
    rows = loaders.load_lessons().sort_values("lesson_id")
    number_, title, minutes, question = _heads(lang, "table.lesson", "table.title", "table.minutes", "table.question")
    return pd.DataFrame(
        {
            number_: [f"{n:02d}" for n in rows.lesson_id],
            title: rows[f"title_{lang}"].to_numpy(),
            minutes: [word("lesson.minutes", lang, n=int(m)) for m in rows.minutes],
            question: rows[f"question_{lang}"].to_numpy(),
        }
    )


def glossary(terms: Sequence[str] | None = None, *, lang: str | None = None) -> pd.DataFrame:
    """Glossary entries (all, or the given ``term_id`` values in that order).

    Parameters
    ----------
    terms : sequence of str, optional
        ``glossary.term_id`` values.
    lang : {"en", "es"}, optional
        Language of the terms and definitions; the notebook's language when omitted.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``term_id``.

    """
    lang = resolve_lang(lang)
    g = loaders.load_glossary().set_index("term_id")
    if terms is not None:
        unknown = [t for t in terms if t not in g.index]
        if unknown:
            raise ValueError(f"unknown glossary terms: {', '.join(unknown)}")
        g = g.loc[list(terms)]
    term, definition = _heads(lang, "table.term", "table.definition")
    return pd.DataFrame({term: g[f"term_{lang}"], definition: g[f"definition_{lang}"]})
