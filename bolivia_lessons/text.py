"""Words shown to learners by charts and widgets, in English and Spanish, and number formats."""

from __future__ import annotations

import datetime as dt

LANGS = ("en", "es")

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "votes": "Votes",
        "share": "Share of valid votes (%)",
        "log": "logarithmic scale",
        "linear": "linear scale",
        "election_title": "Presidential election of {date}",
        "votes_per_candidate": "votes per candidate",
        "share_per_candidate": "share of valid votes per candidate",
        "registered": "Registered voters",
        "cast": "Votes cast",
        "valid": "Valid votes",
        "places_title": "Bolivia's nine departments and the places in these lessons",
        "people": "People",
        "electorate_title": "The electorate before and after universal suffrage (1952)",
        "land_title": "Large estates affected by the agrarian reform,\n{years} years after the 1953 decree",
        "land_axis": "Share of large estates affected (%)",
        "national": "Bolivia as a whole: {value} %",
        "no_figure": "no figure in the source",
        "land_map_title": "Large estates affected by department,\n{years} years after the 1953 decree",
        "timeline_title": "Events, {start} to {end}",
        "hos_title": "Who held power, {start}–{end}",
        "coups_title": "Coups and coup attempts by decade, {start}–{end}",
        "decade": "Decade",
        "count": "Number of coups and attempts",
        "successful": "successful",
        "failed": "failed",
        "year": "Year",
        "in_office": "In office",
        "election": "election",
        "coup": "coup",
        "constitutional_succession": "constitutional succession",
        "interim": "interim",
        "junta": "junta",
        "revolution": "revolution",
        "war": "war",
        "labour": "labour",
        "insurrection": "insurrection",
        "reform": "reform",
        "economy": "economy",
        "repression": "repression",
        "politics": "politics",
        "founding": "founding",
    },
    "es": {
        "votes": "Votos",
        "share": "Porcentaje de votos válidos (%)",
        "log": "escala logarítmica",
        "linear": "escala lineal",
        "election_title": "Elección presidencial del {date}",
        "votes_per_candidate": "votos por candidato",
        "share_per_candidate": "porcentaje de votos válidos por candidato",
        "registered": "Inscritos",
        "cast": "Votos emitidos",
        "valid": "Votos válidos",
        "places_title": "Los nueve departamentos de Bolivia y los lugares de estas lecciones",
        "people": "Personas",
        "electorate_title": "El electorado antes y después del sufragio universal (1952)",
        "land_title": "Latifundios afectados por la reforma agraria,\n{years} años después del decreto de 1953",
        "land_axis": "Porcentaje de latifundios afectados (%)",
        "national": "Bolivia en conjunto: {value} %",
        "no_figure": "sin dato en la fuente",
        "land_map_title": "Latifundios afectados por departamento,\n{years} años después del decreto de 1953",
        "timeline_title": "Acontecimientos, de {start} a {end}",
        "hos_title": "Quién gobernó, {start}–{end}",
        "coups_title": "Golpes e intentos de golpe por década, {start}–{end}",
        "decade": "Década",
        "count": "Número de golpes e intentos",
        "successful": "exitosos",
        "failed": "fallidos",
        "year": "Año",
        "in_office": "En el cargo",
        "election": "elección",
        "coup": "golpe",
        "constitutional_succession": "sucesión constitucional",
        "interim": "interinato",
        "junta": "junta",
        "revolution": "revolución",
        "war": "guerra",
        "labour": "movimiento obrero",
        "insurrection": "insurrección",
        "reform": "reforma",
        "economy": "economía",
        "repression": "represión",
        "politics": "política",
        "founding": "fundación",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise a clear ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def word(key: str, lang: str, **fmt: object) -> str:
    """A learner-facing word or phrase in ``lang``, with ``fmt`` filled in."""
    return WORDS[check_lang(lang)][key].format(**fmt)


def number(value: float, lang: str, decimals: int = 0) -> str:
    """Format a number the way readers of ``lang`` expect (786,792 in English, 786.792 in Spanish)."""
    text = f"{value:,.{decimals}f}"
    if check_lang(lang) == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def long_date(day: dt.date, lang: str) -> str:
    """A date in words: '17 June 1956' or '17 de junio de 1956'."""
    month = _MONTHS[check_lang(lang)][day.month - 1]
    return f"{day.day} {month} {day.year}" if lang == "en" else f"{day.day} de {month} de {day.year}"
