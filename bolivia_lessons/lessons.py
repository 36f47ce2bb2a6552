"""Tables that lessons show: a lesson's events, the sources behind them, a dispute side by side.

These return plain DataFrames with readable column names, so a notebook cell shows them as a
table (and nbval compares them as text). They only read the data set; nothing is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from . import loaders
from .text import check_lang

_HEADS = {
    "en": {
        "date": "Date",
        "event": "Event",
        "category": "Category",
        "place": "Place",
        "author": "Author",
        "title": "Title",
        "publication": "Publication",
        "year": "Year",
        "kind": "Kind",
        "perspective": "Perspective",
        "partisan": "Partisan?",
        "source": "Source",
        "says": "Says",
        "accepted": "Adopted?",
        "note": "Note",
        "term": "Term",
        "definition": "Definition",
        "events": "Events cited",
    },
    "es": {
        "date": "Fecha",
        "event": "Acontecimiento",
        "category": "Categoría",
        "place": "Lugar",
        "author": "Autor",
        "title": "Título",
        "publication": "Publicación",
        "year": "Año",
        "kind": "Tipo",
        "perspective": "Perspectiva",
        "partisan": "¿Partidaria?",
        "source": "Fuente",
        "says": "Dice",
        "accepted": "¿Adoptada?",
        "note": "Nota",
        "term": "Término",
        "definition": "Definición",
        "events": "Acontecimientos citados",
    },
}


def _h(lang: str) -> dict[str, str]:
    return _HEADS[check_lang(lang)]


def lesson_events(lesson_id: int, *, key_only: bool = False, lang: str = "en") -> pd.DataFrame:
    """The events of one lesson in date order: date, title, category and place.

    Parameters
    ----------
    lesson_id : int
        A ``lessons.lesson_id``.
    key_only : bool
        Only the turning points (``key_event``).
    lang : {"en", "es"}
        Language of titles and column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``event_id``.

    """
    h = _h(lang)
    events = loaders.load_events()
    if lesson_id not in set(loaders.load_lessons().lesson_id):
        raise ValueError(f"no lesson {lesson_id!r}")
    chosen = events[(events.lesson_id == lesson_id) & (events.key_event | (not key_only))]
    places = loaders.load_places().set_index("place_id")["name"]
    out = pd.DataFrame(
        {
            h["date"]: [_span(s, e) for s, e in zip(chosen.start_date, chosen.end_date)],
            h["event"]: chosen[f"title_{lang}"],
            h["category"]: chosen.category,
            h["place"]: [places.get(p, "") if isinstance(p, str) else "" for p in chosen.place_id],
        }
    )
    out.index = pd.Index(chosen.event_id, name="event_id")
    return out


def _span(start: object, end: object) -> str:
    if end is None or (not isinstance(end, pd.Period) and pd.isna(end)):
        return str(start)
    return f"{start} – {end}"


def source_cards(source_ids: Sequence[str], *, lang: str = "en") -> pd.DataFrame:
    """Who wrote each source, where, when, what kind of source it is and from which perspective.

    The questions of sourcing, in a table: use it before reading what a source says.

    Parameters
    ----------
    source_ids : sequence of str
        ``sources.source_id`` values, shown in this order.
    lang : {"en", "es"}
        Language of the column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``source_id``.

    """
    h = _h(lang)
    sources = loaders.load_sources().set_index("source_id")
    unknown = [s for s in source_ids if s not in sources.index]
    if unknown:
        raise ValueError(f"unknown source ids: {', '.join(unknown)}")
    s = sources.loc[list(source_ids)]
    return pd.DataFrame(
        {
            h["author"]: s.author,
            h["title"]: s.title,
            h["publication"]: s.publication,
            h["year"]: s.year.astype("string").fillna("?"),
            h["kind"]: s.kind,
            h["perspective"]: s.perspective,
        }
    )


def lesson_sources(lesson_id: int, *, lang: str = "en") -> pd.DataFrame:
    """Every source cited by a lesson's events, with how many of those events each one supports.

    Parameters
    ----------
    lesson_id : int
        A ``lessons.lesson_id``.
    lang : {"en", "es"}
        Language of the column names.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``source_id``, most-cited first, then by author.

    """
    events = loaders.load_events()
    ids = set(events.event_id[events.lesson_id == lesson_id])
    links = loaders.load_event_sources()
    counts = links[links.event_id.isin(ids)].groupby("source_id").size()
    cards = source_cards(list(counts.index), lang=lang)
    cards.insert(0, _h(lang)["events"], counts.loc[cards.index].to_numpy())
    author = _h(lang)["author"]
    order = sorted(cards.index, key=lambda s: (-counts[s], str(cards.loc[s, author]).lower(), s))
    return cards.loc[order]


def claim_table(claim_id: str, *, lang: str = "en") -> pd.DataFrame:
    """Every version of one disputed date, figure or name, side by side with its source.

    Parameters
    ----------
    claim_id : str
        A ``claims.claim_id``.
    lang : {"en", "es"}
        Language of notes and column names.

    Returns
    -------
    pandas.DataFrame
        One row per version; the question is in ``DataFrame.attrs["question"]``.

    """
    h = _h(lang)
    claims = loaders.load_claims().set_index("claim_id")
    if claim_id not in claims.index:
        raise ValueError(f"no claim {claim_id!r}")
    versions = loaders.load_claim_versions()
    v = versions[versions.claim_id == claim_id].merge(loaders.load_sources(), on="source_id")
    yes, no = ("yes", "no") if lang == "en" else ("sí", "no")
    out = pd.DataFrame(
        {
            h["source"]: [
                f"{a}, {t} ({y})" if pd.notna(y) else f"{a}, {t}" for a, t, y in zip(v.author, v.title, v.year)
            ],
            h["perspective"]: v.perspective.to_numpy(),
            h["says"]: v.value.to_numpy(),
            h["accepted"]: [yes if a else no for a in v.accepted],
            h["note"]: v[f"note_{lang}"].fillna("").to_numpy(),
        }
    )
    out.attrs["question"] = str(claims.loc[claim_id, f"question_{lang}"])
    return out


def glossary(terms: Sequence[str] | None = None, *, lang: str = "en") -> pd.DataFrame:
    """Glossary entries (all, or the given ``term_id`` values in that order).

    Parameters
    ----------
    terms : sequence of str, optional
        ``glossary.term_id`` values.
    lang : {"en", "es"}
        Language of the terms and definitions.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``term_id``.

    """
    h = _h(lang)
    g = loaders.load_glossary().set_index("term_id")
    if terms is not None:
        unknown = [t for t in terms if t not in g.index]
        if unknown:
            raise ValueError(f"unknown glossary terms: {', '.join(unknown)}")
        g = g.loc[list(terms)]
    return pd.DataFrame({h["term"]: g[f"term_{lang}"], h["definition"]: g[f"definition_{lang}"]})
