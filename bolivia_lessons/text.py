"""Words shown to learners, in English and Spanish, and the way numbers, dates and sources are written.

Every word and sentence that the charts, explorers and tables show comes from one catalogue per
language, ``bolivia_lessons/locales/<lang>.json``: a flat JSON object whose keys are namespaced
with dots (``chart.*`` titles and axes, ``alt.*`` text alternatives, ``control.*`` explorer
controls, ``table.*`` column headings, ``enum.<table>.<field>.<value>`` the data set's coded
values, ``explorer.*``, ``quiz.*``, ``widget.*``, ``date.*``, ``term.*`` words several of them
share). Sentences carry ``{placeholders}`` that :func:`word` fills with :meth:`str.format`.

A notebook picks its language once with :func:`set_lang` (``bolivia_lessons.notebook.setup``
does it); every function that takes ``lang=None`` then uses that language, and ``lang="en"`` or
``lang="es"`` on one call still overrides it.

Examples
--------
>>> word("chart.votes", "es")
'Votos'
>>> word("chart.timeline.title", "en", start="1952", end="1956")
'Events, 1952 to 1956'

"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

import pandas as pd

__all__ = [
    "LANGS",
    "UnknownWord",
    "catalogue",
    "check_lang",
    "citation",
    "date_text",
    "said",
    "get_lang",
    "localized",
    "long_date",
    "number",
    "resolve_lang",
    "set_lang",
    "word",
]

LANGS = ("en", "es")

# The notebook-wide language: module state on purpose, because a lesson sets it once in its first
# cell and every later chart, explorer and table follows it.
_current_lang = "en"


class UnknownWord(KeyError):
    """A catalogue key that does not exist in a language's catalogue."""

    def __str__(self) -> str:
        # KeyError's own str() shows the repr of its argument, quotes and escapes included
        return str(self.args[0])


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise a clear ValueError.

    Examples
    --------
    >>> check_lang("es")
    'es'

    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def set_lang(lang: str) -> None:
    """Make ``lang`` the language of every chart, explorer and table that is not given one.

    Examples
    --------
    >>> set_lang("es"); word("chart.votes")
    'Votos'
    >>> set_lang("en"); word("chart.votes")
    'Votes'

    """
    global _current_lang
    _current_lang = check_lang(lang)


def get_lang() -> str:
    """The notebook-wide language set by :func:`set_lang` (``"en"`` until it is called).

    Examples
    --------
    >>> get_lang() in LANGS
    True

    """
    return _current_lang


def resolve_lang(lang: str | None) -> str:
    """``lang`` itself if given (checked), else the notebook-wide language.

    Examples
    --------
    >>> resolve_lang("es")
    'es'
    >>> resolve_lang(None) == get_lang()
    True

    """
    return get_lang() if lang is None else check_lang(lang)


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every key and text of one language's catalogue, read once from ``locales/<lang>.json``.

    Parameters
    ----------
    lang : {"en", "es"}
        The language.

    Returns
    -------
    mapping of str to str
        Read-only: every caller shares it.

    Examples
    --------
    >>> catalogue("en")["table.date"]
    'Date'

    """
    path = resources.files("bolivia_lessons") / "locales" / f"{check_lang(lang)}.json"
    return MappingProxyType(json.loads(path.read_text(encoding="utf-8")))


def word(key: str, lang: str | None = None, **fmt: object) -> str:
    """A learner-facing word or sentence from the catalogue, with ``fmt`` filled in.

    Parameters
    ----------
    key : str
        A catalogue key such as ``"chart.votes"``.
    lang : {"en", "es"}, optional
        The language; the notebook-wide one (:func:`get_lang`) when omitted.
    **fmt
        Values for the text's ``{placeholders}``.

    Returns
    -------
    str

    Raises
    ------
    UnknownWord
        A KeyError naming the missing key (and the nearest existing ones).

    Examples
    --------
    >>> word("chart.land.national", "es", value="28,5")
    'Bolivia en conjunto: 28,5 %'
    >>> word("chart.vote", "en")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bolivia_lessons.text.UnknownWord: no word 'chart.vote' in the en catalogue ...; did you mean chart.votes...

    """
    lang = resolve_lang(lang)
    words = catalogue(lang)
    try:
        text = words[key]
    except KeyError:
        near = difflib.get_close_matches(key, words, n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownWord(f"no word {key!r} in the {lang} catalogue (locales/{lang}.json){hint}") from None
    try:
        return text.format(**fmt)
    except KeyError as exc:
        raise KeyError(f"word {key!r} needs a value for {{{exc.args[0]}}}") from None


def number(value: float, lang: str | None = None, decimals: int = 0) -> str:
    """Format a number the way readers of ``lang`` expect.

    Examples
    --------
    >>> number(786792, "en"), number(786792, "es"), number(28.5, "es", 1)
    ('786,792', '786.792', '28,5')

    """
    text = f"{value:,.{decimals}f}"
    if resolve_lang(lang) == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def long_date(day: dt.date, lang: str | None = None) -> str:
    """A date in words.

    Examples
    --------
    >>> long_date(dt.date(1956, 6, 17), "en"), long_date(dt.date(1956, 6, 17), "es")
    ('17 June 1956', '17 de junio de 1956')

    """
    lang = resolve_lang(lang)
    return word("date.long", lang, day=day.day, month=word(f"date.month.{day.month}", lang), year=day.year)


def date_text(value: object, lang: str | None = None) -> str:
    """A date in words at its own precision: '9 April 1952', 'April 1952' or '1952' (and in Spanish).

    Accepts a :class:`pandas.Period` (whose frequency is the precision), a timestamp or date, or an
    ISO string ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Examples
    --------
    >>> date_text(pd.Period("1952-04-09", "D"), "es"), date_text("1952-04", "en"), date_text("1952", "es")
    ('9 de abril de 1952', 'April 1952', '1952')

    """
    lang = resolve_lang(lang)
    if isinstance(value, pd.Period):
        code = value.freqstr[:1]
        value = value.strftime("%Y-%m-%d" if code == "D" else "%Y-%m" if code == "M" else "%Y")
    elif isinstance(value, (dt.date, pd.Timestamp)):
        value = value.strftime("%Y-%m-%d")
    text = str(value)
    if len(text) == 10:
        return long_date(dt.date.fromisoformat(text), lang)
    if len(text) == 7:
        return word("date.month_year", lang, month=word(f"date.month.{int(text[5:7])}", lang), year=text[:4])
    return text


_ISO_DAY_OR_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?")


def said(row: object, field: str, lang: str | None = None) -> object:
    """What a source says (a claim version's value) as a reader of ``lang`` reads it.

    The Spanish twin of the field where there is one (see :func:`localized`); a bare ISO date, which
    the data keeps as the source gives it, is written in words.

    Examples
    --------
    >>> said({"value": "1952-04-11"}, "value", "es"), said({"value": "about 600"}, "value", "en")
    ('11 de abril de 1952', 'about 600')

    """
    value = localized(row, field, lang)
    if isinstance(value, str) and _ISO_DAY_OR_MONTH.fullmatch(value.strip()):
        return date_text(value.strip(), lang)
    return value


def _given(value: object) -> bool:
    return value is not None and not (pd.api.types.is_scalar(value) and pd.isna(value))


def localized(row: object, field: str, lang: str | None = None) -> object:
    """A data field in ``lang``: ``field_es`` for Spanish where the table has it filled, else ``field``.

    Some columns hold text that is English only where it describes rather than names (a source's
    perspective, what a source says, a document's place). Their Spanish twin, ``<field>_es``, is
    left empty where nothing needs translating (a proper name, a bare number), so the original
    stands in for it.

    Examples
    --------
    >>> row = pd.Series({"perspective": "reference work", "perspective_es": "obra de referencia"})
    >>> localized(row, "perspective", "es"), localized(row, "perspective", "en")
    ('obra de referencia', 'reference work')

    """
    lang = resolve_lang(lang)
    getter = row.get if hasattr(row, "get") else (lambda key, default=None: getattr(row, key, default))
    if lang != "en":
        translated = getter(f"{field}_{lang}", None)
        if _given(translated) and str(translated).strip():
            return translated
    return getter(field, None)


def citation(
    author: object,
    title: object,
    publication: object = None,
    year: object = None,
    locator: object = None,
    *,
    markup: bool = True,
) -> str:
    """A source as learners see it: ``author, title, publication (year), locator``.

    Missing parts (None or NA) are left out. With ``markup`` the result is HTML: every part
    escaped and the title in italics; without it, plain text for a table cell.

    Examples
    --------
    >>> citation("Sagra", "Bolivia <1952>", "Press", 2004, "p. 3")
    'Sagra, <i>Bolivia &lt;1952&gt;</i>, Press (2004), p. 3'
    >>> citation("Sagra", "Bolivia", year=pd.NA, markup=False)
    'Sagra, Bolivia'

    """
    esc = html.escape if markup else str
    text = f"{esc(str(author))}, " + (f"<i>{esc(str(title))}</i>" if markup else str(title))
    if _given(publication):
        text += f", {esc(str(publication))}"
    if _given(year):
        text += f" ({year})"
    if _given(locator):
        text += f", {esc(str(locator))}"
    return text
