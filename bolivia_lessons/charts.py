"""Charts of the data set, drawn with matplotlib.

Each chart comes as three functions: ``<chart>_data()`` prepares a tidy DataFrame (pure, no
drawing), ``plot_<chart>(data=None, *, ax=None, lang="en", ...)`` draws it and returns the Axes
(it never calls ``plt.show()``), and ``describe_<chart>()`` returns a text alternative with the
numbers, for screen readers and for learners who cannot see the chart.

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness; the map uses the ``cividis`` colour map for the same reason.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence
from functools import lru_cache

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Polygon

from . import loaders
from .paths import data_dir
from .text import check_lang, long_date, number, word

#: Okabe & Ito (2008) colour-blind-safe palette, in their order.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
HOW_COLOURS = {
    "election": "#0072B2",
    "constitutional_succession": "#56B4E9",
    "interim": "#F0E442",
    "coup": "#D55E00",
    "junta": "#CC79A7",
    "revolution": "#009E73",
}
OUTCOME_COLOURS = {"successful": "#D55E00", "failed": "#56B4E9"}
CATEGORY_COLOURS = dict(
    zip(
        [
            "war",
            "labour",
            "insurrection",
            "coup",
            "election",
            "reform",
            "economy",
            "repression",
            "politics",
            "founding",
        ],
        ["#000000", "#E69F00", "#D55E00", "#CC79A7", "#0072B2", "#009E73", "#F0E442", "#882255", "#56B4E9", "#999999"],
    )
)
GEO_FILE = "geo/bol.topo.json"


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _name(row: pd.Series, lang: str) -> str:
    return str(row[f"name_{lang}"]) if f"name_{lang}" in row else str(row["name"])


# -- 1. an election -------------------------------------------------------------------------------


def election_data(election_id: str = "1956_general") -> pd.DataFrame:
    """One row per candidate: name, party abbreviation, votes and share, largest first.

    Parameters
    ----------
    election_id : str
        An ``elections.election_id`` such as ``"1956_general"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``election_id``, ``date``, ``candidate``, ``party``, ``votes``, ``share_pct``.

    """
    elections = loaders.load_elections().set_index("election_id")
    if election_id not in elections.index:
        raise ValueError(f"no election {election_id!r}; the elections are: {', '.join(elections.index)}")
    results = loaders.load_election_results()
    results = results[results.election_id == election_id]
    people = loaders.load_people().set_index("person_id")
    orgs = loaders.load_organizations().set_index("org_id")
    out = pd.DataFrame(
        {
            "election_id": election_id,
            "date": elections.loc[election_id, "date"],
            "candidate": people.loc[results.candidate_id, "name"].to_numpy(),
            "party": [
                orgs.loc[p, "abbreviation"] if pd.notna(orgs.loc[p, "abbreviation"]) else orgs.loc[p, "name_es"]
                for p in results.party_id
            ],
            "votes": results.votes.to_numpy(),
            "share_pct": results.share_pct.to_numpy(),
        }
    )
    return out.sort_values("votes", ascending=False, ignore_index=True)


def plot_election(
    data: pd.DataFrame | None = None,
    *,
    election_id: str = "1956_general",
    measure: str = "votes",
    scale: str = "linear",
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Bars per candidate, with counts and shares labelled, on a linear or logarithmic axis.

    On a linear axis the smallest parties' bars all but vanish beside the winner's; on a
    logarithmic axis every bar is visible but differences look smaller than they are.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`election_data`; computed from ``election_id`` when omitted.
    election_id : str
        Which election, when ``data`` is omitted.
    measure : {"votes", "share"}
        Bar length: vote counts or share of valid votes.
    scale : {"linear", "log"}
        The value axis.
    lang : {"en", "es"}
        Language of titles and labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    if measure not in ("votes", "share"):
        raise ValueError("measure must be 'votes' or 'share'")
    if scale not in ("linear", "log"):
        raise ValueError("scale must be 'linear' or 'log'")
    data = election_data(election_id) if data is None else data
    ax = _axes(ax, (8, 0.6 * len(data) + 1.6))
    values = data.votes.astype(float) if measure == "votes" else data.share_pct.astype(float)
    labels = [f"{c} ({p})" for c, p in zip(data.candidate, data.party)]
    y = np.arange(len(data))[::-1]
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(data))]
    ax.barh(y, values, color=colours, height=0.6, edgecolor="#333333", linewidth=0.5)
    ax.set_yticks(y, labels)
    ax.set_xscale(scale)
    for yi, v, votes, share in zip(y, values, data.votes, data.share_pct):
        ax.annotate(
            f"{number(votes, lang)} ({number(share, lang, 2)} %)",
            (v, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_xlim(right=values.max() * (30 if scale == "log" else 1.35))
    # plain numbers on the axis ("200,000"), never an offset like "1e6" that learners misread
    ax.xaxis.set_major_formatter(lambda v, _pos: number(v, lang) if v >= 1 or measure == "share" else "")
    ax.set_xlabel(word("votes" if measure == "votes" else "share", lang) + f" — {word(scale, lang)}")
    what = word("votes_per_candidate" if measure == "votes" else "share_per_candidate", lang)
    ax.set_title(f"{word('election_title', lang, date=long_date(data.date.iloc[0].date(), lang))}: {what}")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_election(data: pd.DataFrame | None = None, *, election_id: str = "1956_general", lang: str = "en") -> str:
    """Text alternative for :func:`plot_election`, with every candidate's votes and share."""
    data = election_data(election_id) if data is None else data
    when = long_date(data.date.iloc[0].date(), lang)
    parts = [
        f"{c} ({p}): {number(v, lang)} ({number(s, lang, 2)} %)"
        for c, p, v, s in zip(data.candidate, data.party, data.votes, data.share_pct)
    ]
    smallest, largest = data.iloc[-1], data.iloc[0]
    ratio = number(100 * smallest.votes / largest.votes, lang, 1)
    if lang == "en":
        return (
            f"Bar chart of the presidential election of {when}, one bar per candidate, largest first: "
            + "; ".join(parts)
            + f". The smallest, {smallest.candidate}, received {ratio} % as many votes "
            f"as the winner, {largest.candidate}."
        )
    return (
        f"Gráfico de barras de la elección presidencial del {when}, una barra por candidato, de mayor a menor: "
        + "; ".join(parts)
        + f". El menor, {smallest.candidate}, obtuvo un {ratio} % de los votos "
        f"del ganador, {largest.candidate}."
    )


# -- 2. the electorate ----------------------------------------------------------------------------


def electorate_data(election_ids: Sequence[str] = ("1951_general", "1956_general")) -> pd.DataFrame:
    """Registered voters, valid votes and (where known) all ballots cast, in date order.

    The chart compares valid votes, known for every election, because the total of ballots cast
    (valid plus blank and void) is missing or disputed for 1951 and 1956: see the claims
    ``election_1951_votes_cast`` and ``election_1956_votes_cast``.
    """
    e = loaders.load_elections().set_index("election_id").loc[list(election_ids)]
    return pd.DataFrame(
        {
            "election_id": e.index,
            "year": e.date.dt.year.to_numpy(),
            "registered_voters": e.registered_voters.to_numpy(),
            "valid_votes": e.valid_votes.to_numpy(),
            "votes_cast": e.votes_cast.to_numpy(),
        }
    ).sort_values("year", ignore_index=True)


def plot_electorate(data: pd.DataFrame | None = None, *, lang: str = "en", ax: Axes | None = None) -> Axes:
    """Grouped bars: registered voters and valid votes, before and after universal suffrage.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`electorate_data` (1951 and 1956 by default).
    lang : {"en", "es"}
        Language of titles and labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    data = electorate_data() if data is None else data
    ax = _axes(ax, (7, 4.5))
    x = np.arange(len(data))
    for offset, col, key, colour in [
        (-0.2, "registered_voters", "registered", OKABE_ITO[4]),
        (0.2, "valid_votes", "valid", OKABE_ITO[0]),
    ]:
        values = data[col].astype(float)
        ax.bar(x + offset, values, width=0.4, label=word(key, lang), color=colour)
        for xi, v in zip(x + offset, values):
            ax.annotate(number(v, lang), (xi, v), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(x, data.year.astype(str))
    ax.set_ylabel(word("people", lang))
    ax.yaxis.set_major_formatter(lambda v, _pos: number(v, lang))
    ax.set_ylim(top=data[["registered_voters", "valid_votes"]].to_numpy(dtype=float).max() * 1.15)
    ax.set_title(word("electorate_title", lang))
    ax.legend(frameon=False, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_electorate(data: pd.DataFrame | None = None, *, lang: str = "en") -> str:
    """Text alternative for :func:`plot_electorate`."""
    data = electorate_data() if data is None else data
    rows = [(r.year, number(r.registered_voters, lang), number(r.valid_votes, lang)) for r in data.itertuples()]
    grew = number(data.registered_voters.iloc[-1] / data.registered_voters.iloc[0], lang, 1)
    votes = number(data.valid_votes.iloc[-1] / data.valid_votes.iloc[0], lang, 1)
    first, last = rows[0][0], rows[-1][0]
    if lang == "en":
        return (
            "Grouped bar chart of registered voters and valid votes. "
            + "; ".join(f"{y}: {r} registered, {c} valid votes" for y, r, c in rows)
            + f". Between {first} and {last} the register grew {grew}-fold and the valid vote {votes}-fold. "
            "Blank and void ballots are left out because their totals are missing or disputed."
        )
    return (
        "Gráfico de barras agrupadas de inscritos y votos válidos. "
        + "; ".join(f"{y}: {r} inscritos, {c} votos válidos" for y, r, c in rows)
        + f". Entre {first} y {last} el padrón se multiplicó por {grew} y el voto válido por {votes}. "
        "Se dejan fuera los votos blancos y nulos porque sus totales faltan o se discuten."
    )


# -- 3. land reform -------------------------------------------------------------------------------

SORTS = ("descending", "ascending", "alphabetical")


def land_reform_data(years_after: int = 2, sort: str = "descending") -> pd.DataFrame:
    """Departments with their share of large estates affected; the national figure is left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``estates_affected_pct``, ``national_pct``, ``source_id``, ``note_en``, ``note_es``.

    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    land = loaders.load_land_reform()
    land = land[land.years_after_decree == years_after].copy()
    land["area"] = land.area.astype(str)
    national = land.loc[land.area == "Bolivia", "estates_affected_pct"]
    deps = land[land.area != "Bolivia"].assign(national_pct=national.iloc[0] if len(national) else np.nan)
    if sort == "alphabetical":
        deps = deps.sort_values("area")
    else:
        deps = deps.sort_values("estates_affected_pct", ascending=sort == "ascending")
    cols = ["area", "estates_affected_pct", "national_pct", "source_id", "note_en", "note_es"]
    return deps[cols].reset_index(drop=True).assign(years_after=years_after)


def plot_land_reform(
    data: pd.DataFrame | None = None,
    *,
    sort: str = "descending",
    highlight: str | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Bars of the share of large estates affected, by department, with the national figure as a line.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`land_reform_data`.
    sort : {"descending", "ascending", "alphabetical"}
        Bar order, when ``data`` is omitted.
    highlight : str, optional
        A department to draw in a contrasting colour.
    lang : {"en", "es"}
        Language.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    data = land_reform_data(sort=sort) if data is None else data
    ax = _axes(ax, (7, 4.5))
    y = np.arange(len(data))[::-1]
    colours = [OKABE_ITO[5] if a == highlight else OKABE_ITO[4] for a in data.area]
    values = data.estates_affected_pct.astype(float)
    ax.barh(y, values, color=colours, height=0.6)
    ax.set_yticks(y, data.area)
    for yi, v in zip(y, values):
        ax.annotate(
            f"{number(v, lang, 1 if v % 1 else 0)} %",
            (v, yi),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    national = float(data.national_pct.iloc[0])
    if not np.isnan(national):
        ax.axvline(
            national,
            color=OKABE_ITO[7],
            linestyle="--",
            linewidth=1.2,
            label=word("national", lang, value=number(national, lang, 1)),
        )
        ax.legend(frameon=False, loc="lower right")
    ax.set_xlim(0, 100)
    ax.set_xlabel(word("land_axis", lang))
    ax.set_title(word("land_title", lang, years=int(data.years_after.iloc[0])))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_land_reform(data: pd.DataFrame | None = None, *, lang: str = "en") -> str:
    """Text alternative for :func:`plot_land_reform` and :func:`plot_land_reform_map`."""
    data = land_reform_data() if data is None else data
    parts = "; ".join(
        f"{a}: {number(v, lang, 1 if v % 1 else 0)} %" for a, v in zip(data.area, data.estates_affected_pct)
    )
    national = number(float(data.national_pct.iloc[0]), lang, 1)
    missing = sorted(set(_departments()) - set(data.area))
    years = int(data.years_after.iloc[0])
    if lang == "en":
        text = (
            f"Share of large estates affected by the agrarian reform {years} years after the decree, by department: "
            f"{parts}. The figure for Bolivia as a whole is {national} %."
        )
        return text + (f" The source gives no figure for {', '.join(missing)}." if missing else "")
    text = (
        f"Porcentaje de latifundios afectados por la reforma agraria {years} años después del decreto, por "
        f"departamento: {parts}. La cifra para Bolivia en conjunto es {national} %."
    )
    return text + (f" La fuente no da cifra para {', '.join(missing)}." if missing else "")


@lru_cache(maxsize=1)
def _shapes() -> dict[str, list[np.ndarray]]:
    """Decode the TopoJSON department outlines into rings of (longitude, latitude) points."""
    topo = json.loads((data_dir() / GEO_FILE).read_text(encoding="utf-8"))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # quantized and delta-encoded: positions are running sums
        q = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        arcs.append(np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty]))

    def ring(indices: list[int]) -> np.ndarray:
        pts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indices]
        return np.concatenate([p if k == 0 else p[1:] for k, p in enumerate(pts)])

    shapes: dict[str, list[np.ndarray]] = {}
    for geom in next(iter(topo["objects"].values()))["geometries"]:
        name = geom["properties"]["name"].replace("El Beni", "Beni")
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        shapes[name] = [ring(polygon[0]) for polygon in polygons]  # outer rings; the departments have no holes
    return shapes


def _departments() -> list[str]:
    return sorted(_shapes())


def plot_land_reform_map(
    data: pd.DataFrame | None = None, *, highlight: str | None = None, lang: str = "en", ax: Axes | None = None
) -> Axes:
    """Map of the nine departments shaded by the share of large estates affected.

    Departments without a figure in the source are hatched and labelled as such.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    data = land_reform_data() if data is None else data
    ax = _axes(ax, (6.5, 6.5))
    values = dict(zip(data.area, data.estates_affected_pct.astype(float)))
    cmap = plt.get_cmap("cividis")
    for name, rings in sorted(_shapes().items()):
        value = values.get(name)
        for pts in rings:
            face = cmap(value / 100) if value is not None else "#dddddd"
            ax.add_patch(
                Polygon(
                    pts,
                    closed=True,
                    facecolor=face,
                    hatch=None if value is not None else "//",
                    edgecolor=OKABE_ITO[5] if name == highlight else "white",
                    linewidth=2.5 if name == highlight else 0.8,
                    label=name,
                )
            )
        biggest = max(rings, key=len)
        cx, cy = biggest.mean(axis=0)
        label = f"{name}\n{number(value, lang, 1 if value % 1 else 0)} %" if value is not None else f"{name}\n—"
        dark = value is not None and value < 55
        ax.text(cx, cy, label, ha="center", va="center", fontsize=8, color="white" if dark else "black")
    ax.set_xlim(-70, -57.3)
    ax.set_ylim(-23.1, -9.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, 100))
    ax.figure.colorbar(sm, ax=ax, shrink=0.6, label=word("land_axis", lang))
    ax.set_title(word("land_map_title", lang, years=int(data.years_after.iloc[0])))
    ax.legend(
        handles=[Patch(facecolor="#dddddd", hatch="//", edgecolor="white", label=word("no_figure", lang))],
        loc="lower left",
        frameon=False,
        fontsize=8,
    )
    return ax


def places_data(place_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Places in Bolivia with coordinates, and how many events happened at each.

    Parameters
    ----------
    place_ids : iterable of str, optional
        ``places.place_id`` values to keep; every place in Bolivia when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``place_id``, ``name``, ``kind``, ``department``, ``latitude``, ``longitude``,
        ``events``; sorted by name.

    """
    places = loaders.load_places()
    places = places[places.country == "Bolivia"]
    if place_ids is not None:
        wanted = list(place_ids)
        unknown = sorted(set(wanted) - set(places.place_id))
        if unknown:
            raise ValueError(f"no place in Bolivia with id {', '.join(unknown)}")
        places = places[places.place_id.isin(wanted)]
    counts = loaders.load_events().place_id.value_counts()
    out = places[["place_id", "name", "kind", "department", "latitude", "longitude"]].copy()
    out["events"] = [int(counts.get(p, 0)) for p in out.place_id]
    return out.sort_values(["name", "place_id"], ignore_index=True)


def plot_places_map(
    data: pd.DataFrame | None = None,
    *,
    place_ids: Iterable[str] | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Map of the nine departments with places marked and named.

    Places that are less than about 5 km apart (a square and the palace beside it) share one marker
    so that their names stay readable.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    data = places_data(place_ids) if data is None else data
    ax = _axes(ax, (6.5, 6.5))
    # Names are placed greedily in points: each takes the first of a few positions around its marker
    # that does not cover a name already placed (Cochabamba and Sacaba are only 13 km apart).
    x_lim, y_lim = (-70.0, -57.3), (-23.1, -9.5)
    # the map keeps equal aspect, so the tighter of the two directions sets the scale
    pt_per_degree = min(
        ax.figure.get_figwidth() * 72 * 0.95 / (x_lim[1] - x_lim[0]),
        ax.figure.get_figheight() * 72 * 0.95 / (y_lim[1] - y_lim[0]),
    )
    placed: list[tuple[float, float, float, float]] = []
    for name, rings in sorted(_shapes().items()):
        for pts in rings:
            ax.add_patch(Polygon(pts, closed=True, facecolor="#f2f2f2", edgecolor="#777777", linewidth=0.8))
        cx, cy = max(rings, key=len).mean(axis=0)
        ax.text(cx, cy, name, ha="center", va="center", fontsize=9, color="#555555", style="italic")
    groups: list[list[pd.Series]] = []
    for _, row in data.sort_values(["events", "name"], ascending=[False, True]).iterrows():
        for group in groups:
            if abs(group[0].latitude - row.latitude) < 0.05 and abs(group[0].longitude - row.longitude) < 0.05:
                group.append(row)
                break
        else:
            groups.append([row])
    for group in groups:
        head = group[0]
        ax.plot(head.longitude, head.latitude, "o", color=OKABE_ITO[5], markersize=5, markeredgecolor="black", zorder=3)
        # long names (a merged group, a mining district) go on two or three short lines
        label = textwrap.fill(" / ".join(str(r["name"]) for r in group), 24, break_long_words=False)
        lines = label.split("\n")
        x, y = head.longitude * pt_per_degree, head.latitude * pt_per_degree
        width = max(len(line) for line in lines) * 7 * 0.55
        # right and left of the marker, then ever further above and below it
        for dx, dy in [(side, level) for level in (3, -10, 13, -20, 23, -30, 33, -40) for side in (4, -4)]:
            dy = dy if dy > 0 else dy - 8.5 * (len(lines) - 1)  # a label below its marker hangs down
            x0 = x + dx if dx > 0 else x + dx - width
            box = (x0 - 2, x0 + width + 2, y + dy - 3, y + dy + 1 + 8.5 * len(lines))
            if not any(box[0] < b1 and b0 < box[1] and box[2] < c1 and c0 < box[3] for b0, b1, c0, c1 in placed):
                break
        placed.append(box)
        ax.annotate(
            label,
            (head.longitude, head.latitude),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="left" if dx > 0 else "right",
            fontsize=7,
            # a name moved away from its marker gets a thin line back to it
            arrowprops={"arrowstyle": "-", "color": "0.55", "linewidth": 0.5} if abs(dy) > 10 else None,
        )
    ax.set_xlim(*x_lim)
    ax.set_ylim(*y_lim)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(word("places_title", lang))
    return ax


def describe_places_map(
    data: pd.DataFrame | None = None, *, place_ids: Iterable[str] | None = None, lang: str = "en"
) -> str:
    """Text alternative for :func:`plot_places_map`: every place with its department."""
    data = places_data(place_ids) if data is None else data
    items = "; ".join(f"{r.name} ({r.department})" for r in data.itertuples())
    if lang == "en":
        return f"Map of Bolivia's nine departments with {len(data)} places marked: {items}."
    return f"Mapa de los nueve departamentos de Bolivia con {len(data)} lugares marcados: {items}."


# -- 4. timeline ----------------------------------------------------------------------------------


def _when(value: object, end: bool = False) -> pd.Timestamp:
    if isinstance(value, pd.Period):
        return value.end_time.normalize() if end else value.start_time
    return pd.Timestamp(str(value))


def timeline_data(
    start: str = "1932",
    end: str = "2024-12-31",
    categories: Iterable[str] | None = None,
    periods: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Events between ``start`` and ``end`` (ISO dates of any precision), optionally filtered.

    An event dated only to a year or a month is left out of a window shorter than its date's
    uncertainty: zoomed in on the days of April 1952, "1952" could be any of them.

    Returns
    -------
    pandas.DataFrame
        The events' columns plus ``start`` and ``end`` timestamps (first and last day the dates can mean).

    """
    events = loaders.load_events()
    events["start"] = events.start_date.map(_when)
    events["end"] = [
        _when(e, True) if isinstance(e, pd.Period) else _when(s, True)
        for s, e in zip(events.start_date, events.end_date)
    ]
    lo, hi = _when(pd.Period(start)), _when(pd.Period(end), True)
    vague = events.start_date.map(lambda d: _when(d, True) - _when(d) if isinstance(d, pd.Period) else pd.Timedelta(0))
    keep = (events.end >= lo) & (events.start <= hi) & (vague <= hi - lo)
    if categories is not None:
        keep &= events.category.isin(list(categories))
    if periods is not None:
        keep &= events.period_id.isin(list(periods))
    return events[keep].sort_values(["start", "event_id"]).reset_index(drop=True).assign(window_start=lo, window_end=hi)


def plot_timeline(
    data: pd.DataFrame | None = None,
    *,
    start: str = "1932",
    end: str = "2024-12-31",
    categories: Iterable[str] | None = None,
    lang: str = "en",
    ax: Axes | None = None,
) -> Axes:
    """Events on a time axis, one row per category, with the periods shaded behind them.

    ``start`` and ``end`` zoom from the whole of 1932–2024 down to single days (``"1952-04-08"``
    to ``"1952-04-12"``); when few events are in view their titles are written beside them.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    data = timeline_data(start, end, categories) if data is None else data
    ax = _axes(ax, (10, 4.8))
    lo, hi = (
        data.window_start.iloc[0] if len(data) else _when(pd.Period(start)),
        (data.window_end.iloc[0] if len(data) else _when(pd.Period(end), True)),
    )
    cats = [c for c in CATEGORY_COLOURS if categories is None or c in set(categories)]
    rows = {c: i for i, c in enumerate(reversed(cats))}
    periods = loaders.load_periods().sort_values("start_year")
    starts = set(periods.start_year)
    for k, p in enumerate(periods.itertuples()):
        # periods given in whole years tile the axis: one ends where the next begins
        p0 = pd.Timestamp(f"{p.start_year}-01-01")
        p1 = pd.Timestamp(
            f"{p.end_year}-01-01" if p.end_year in starts and p.end_year > p.start_year else f"{p.end_year}-12-31"
        )
        if p1 < lo or p0 > hi:
            continue
        a, b = max(p0, lo), min(p1, hi)
        ax.axvspan(a, b, color="#f2f2f2" if k % 2 else "#e3e3e3", zorder=0, linewidth=0)
        # period names sit above the rows on two staggered lines, shortened to fit their span
        width_in = ax.figure.get_figwidth() * 0.8 * (b - a) / (hi - lo)
        fits = int(width_in * 72 * 1.4 / (7 * 0.6))  # 7-pt characters that fit (lines are staggered)
        name = getattr(p, f"name_{lang}")
        if fits >= 4:
            label = name if len(name) <= fits else name[: fits - 1].rstrip() + "…"
            ax.text(
                mdates.date2num(a + (b - a) / 2),
                len(cats) - 0.2 + 0.45 * (k % 2),
                label,
                ha="center",
                va="bottom",
                fontsize=7,
                clip_on=True,
            )
    few = len(data) <= 12
    # one artist per category (not per event) keeps a redraw of the whole timeline fast
    for cat, group in data.groupby(data.category.astype(str), sort=False, observed=True):
        y, colour = rows[cat], CATEGORY_COLOURS[cat]
        spans = group[group.end > group.start]
        if len(spans):
            ax.hlines([y] * len(spans), spans.start, spans.end, colors=colour, linewidth=4, zorder=2)
        ax.plot(
            group.start,
            [y] * len(group),
            "o",
            color=colour,
            markersize=6,
            markeredgecolor="black",
            markeredgewidth=0.5,
            linestyle="none",
            zorder=3,
        )
    if few:
        # Titles are placed greedily: each goes on the lowest line above its row where it does not
        # overlap any title already placed, on this row or the next (four events share 9 April 1952);
        # titles in the right third of the axis run leftwards. Sizes are estimated in points from the
        # figure size and the character count (7-pt text), which is enough to keep them apart.
        axes_pt = ax.figure.get_figwidth() * 72 * 0.8
        row_pt = ax.figure.get_figheight() * 72 * 0.8 / (len(cats) + 1.4)
        placed: list[tuple[float, float, float, float]] = []
        for e in data.sort_values(["start", "event_id"]).itertuples():
            title = getattr(e, f"title_{lang}")
            where = (e.start - lo) / (hi - lo) * axes_pt
            width = len(title) * 7 * 0.55
            right = where > 0.66 * axes_pt
            x0, x1 = (where - 4 - width, where - 4) if right else (where + 4, where + 4 + width)
            row, level = rows[str(e.category)], 0
            y = row * row_pt + 6
            while any(x0 < b1 and b0 < x1 and y < c1 and c0 < y + 8 for b0, b1, c0, c1 in placed):
                level += 1
                y = row * row_pt + 6 + 9 * level
            placed.append((x0, x1, y, y + 8))
            ax.annotate(
                title,
                (e.start, row),
                xytext=(-4 if right else 4, 6 + 9 * level),
                textcoords="offset points",
                ha="right" if right else "left",
                fontsize=7,
                # a raised title gets a thin line down to its event
                arrowprops={"arrowstyle": "-", "color": "0.55", "linewidth": 0.5} if level else None,
            )
    ax.set_yticks(list(rows.values()), [word(c, lang) for c in rows])
    ax.set_ylim(-0.6, len(cats) + 0.8)
    ax.set_xlim(lo, hi)
    span_days = (hi - lo).days
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.DateFormatter("%Y" if span_days > 1500 else "%Y-%m" if span_days > 60 else "%Y-%m-%d")
    )
    fmt = "%Y" if span_days > 1500 else "%Y-%m-%d"
    ax.set_title(word("timeline_title", lang, start=lo.strftime(fmt), end=hi.strftime(fmt)))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_timeline(
    data: pd.DataFrame | None = None,
    *,
    start: str = "1932",
    end: str = "2024-12-31",
    categories: Iterable[str] | None = None,
    lang: str = "en",
    limit: int = 12,
) -> str:
    """Text alternative for :func:`plot_timeline`: how many events of each kind, and the first ones."""
    data = timeline_data(start, end, categories) if data is None else data
    counts = data.category.astype(str).value_counts()
    kinds = ", ".join(f"{word(c, lang)} {n}" for c, n in counts.items())
    listed = "; ".join(f"{e.start_date}: {getattr(e, f'title_{lang}')}" for e in data.head(limit).itertuples())
    more = len(data) - min(limit, len(data))
    if lang == "en":
        return (
            f"Timeline with {len(data)} events ({kinds}). "
            + (f"In order: {listed}" if listed else "")
            + (f"; and {more} more." if more else ".")
        )
    return (
        f"Línea de tiempo con {len(data)} acontecimientos ({kinds}). "
        + (f"En orden: {listed}" if listed else "")
        + (f"; y {more} más." if more else ".")
    )


# -- 5. who held power ----------------------------------------------------------------------------


def heads_of_state_data(start: int = 1946, end: int = 2024) -> pd.DataFrame:
    """Terms in office that overlap ``start``–``end``, with names, in order of taking office."""
    hos = loaders.load_heads_of_state()
    people = loaders.load_people().set_index("person_id")
    hos["name"] = people.loc[hos.person_id, "name"].to_numpy()
    hos["until"] = hos.end_date.fillna(pd.Timestamp(f"{end}-12-31"))
    keep = (hos.until >= pd.Timestamp(f"{start}-01-01")) & (hos.start_date <= pd.Timestamp(f"{end}-12-31"))
    return hos[keep].sort_values(["start_date", "term_id"]).reset_index(drop=True)


def plot_heads_of_state(
    data: pd.DataFrame | None = None, *, start: int = 1946, end: int = 2024, lang: str = "en", ax: Axes | None = None
) -> Axes:
    """Each head of state's time in office as a bar, coloured by how they came to power.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    data = heads_of_state_data(start, end) if data is None else data
    ax = _axes(ax, (10, 0.22 * len(data) + 1.8))
    y = np.arange(len(data))[::-1]
    for yi, row in zip(y, data.itertuples()):
        width = max((row.until - row.start_date).days, 20)  # a few days in office still shows
        ax.barh(
            yi,
            width,
            left=mdates.date2num(row.start_date),
            height=0.7,
            color=HOW_COLOURS[str(row.how)],
            edgecolor="black",
            linewidth=0.3,
        )
    ax.set_yticks(y, data.name, fontsize=7)
    ax.xaxis_date()
    ax.set_xlim(mdates.date2num(pd.Timestamp(f"{start}-01-01")), mdates.date2num(pd.Timestamp(f"{end}-12-31")))
    hows = [h for h in HOW_COLOURS if h in set(data.how.astype(str))]
    ax.legend(
        handles=[Patch(color=HOW_COLOURS[h], label=word(h, lang)) for h in hows],
        frameon=False,
        loc="upper right",
        fontsize=8,
    )
    ax.set_title(word("hos_title", lang, start=start, end=end))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_heads_of_state(
    data: pd.DataFrame | None = None, *, start: int = 1946, end: int = 2024, lang: str = "en"
) -> str:
    """Text alternative for :func:`plot_heads_of_state`: counts by route to power, then every term."""
    data = heads_of_state_data(start, end) if data is None else data
    counts = ", ".join(f"{word(h, lang)} {n}" for h, n in data.how.astype(str).value_counts().items())
    terms = "; ".join(
        f"{r.name} {r.start_date:%Y-%m-%d}–{'' if pd.isna(r.end_date) else f'{r.end_date:%Y-%m-%d}'} "
        f"({word(str(r.how), lang)})"
        for r in data.itertuples()
    )
    if lang == "en":
        return (
            f"Bars over time for {len(data)} terms in office, {start}–{end}, "
            f"by how power was reached: {counts}. {terms}."
        )
    return (
        f"Barras en el tiempo para {len(data)} mandatos, {start}–{end}, "
        f"según cómo se llegó al poder: {counts}. {terms}."
    )


# -- 6. coups by decade ---------------------------------------------------------------------------


def coups_by_decade_data(start: int = 1940, end: int = 2029) -> pd.DataFrame:
    """Successful and failed coups and attempts per decade (every decade in range, zeros included)."""
    coups = loaders.load_coups()
    decade = coups.date.map(lambda p: p.year // 10 * 10)
    table = pd.crosstab(decade, coups.outcome.astype(str))
    decades = range(start // 10 * 10, end + 1, 10)
    table = table.reindex(index=list(decades), columns=["successful", "failed"], fill_value=0)
    return table.rename_axis("decade").reset_index().rename_axis(None, axis=1)


def plot_coups_by_decade(data: pd.DataFrame | None = None, *, lang: str = "en", ax: Axes | None = None) -> Axes:
    """Stacked bars per decade: successful coups below, failed attempts above.

    Returns
    -------
    matplotlib.axes.Axes

    """
    check_lang(lang)
    data = coups_by_decade_data() if data is None else data
    ax = _axes(ax, (8, 4.2))
    x = np.arange(len(data))
    ax.bar(x, data.successful, color=OUTCOME_COLOURS["successful"], label=word("successful", lang))
    ax.bar(
        x,
        data.failed,
        bottom=data.successful,
        color=OUTCOME_COLOURS["failed"],
        label=word("failed", lang),
        hatch="//",
        edgecolor="white",
    )
    ax.set_xticks(x, [f"{d}s" if lang == "en" else f"{d}" for d in data.decade])
    ax.set_xlabel(word("decade", lang))
    ax.set_ylabel(word("count", lang))
    ax.yaxis.get_major_locator().set_params(integer=True)
    first, last = int(data.decade.iloc[0]), int(data.decade.iloc[-1]) + 9
    ax.set_title(word("coups_title", lang, start=first, end=min(last, 2024)))
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_coups_by_decade(data: pd.DataFrame | None = None, *, lang: str = "en") -> str:
    """Text alternative for :func:`plot_coups_by_decade`."""
    data = coups_by_decade_data() if data is None else data
    parts = "; ".join(
        f"{d}{'s' if lang == 'en' else ''}: {s} {word('successful', lang)}, {f} {word('failed', lang)}"
        for d, s, f in zip(data.decade, data.successful, data.failed)
    )
    total_s, total_f = int(data.successful.sum()), int(data.failed.sum())
    if lang == "en":
        return f"Stacked bars of coups by decade ({total_s} successful, {total_f} failed in all): {parts}."
    return f"Barras apiladas de golpes por década ({total_s} exitosos y {total_f} fallidos en total): {parts}."
