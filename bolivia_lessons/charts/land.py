"""Maps and the land reform: bars and a map of large estates affected, and a map of the lessons' places."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch, Polygon

from .. import loaders
from ..paths import data_dir
from ..schema import DESCRIPTOR
from ..text import number, resolve_lang, word
from ._common import DATA_TEXT, LEADER_LINE, OKABE_ITO, Box, LabelPlacer, new_axes, set_title, text_width

__all__ = [
    "MAP_RESOURCE",
    "SORTS",
    "departments",
    "describe_land_reform",
    "describe_places_map",
    "land_reform_data",
    "places_data",
    "plot_land_reform",
    "plot_land_reform_map",
    "plot_places_map",
]

#: The bar orders of :func:`land_reform_data`.
SORTS = ("descending", "ascending", "alphabetical")
#: The ``datapackage.json`` resource holding the department outlines (TopoJSON).
MAP_RESOURCE = "departments_map"
# The map's extent in degrees of longitude and latitude (it keeps equal aspect).
_MAP_X, _MAP_Y = (-70.0, -57.3), (-23.1, -9.5)


def _percent(value: float, lang: str) -> str:
    """'76 %' for a whole number, '28.5 %' otherwise."""
    return f"{number(value, lang, 1 if value % 1 else 0)} %"


def land_reform_data(years_after: int = 2, sort: str = "descending") -> pd.DataFrame:
    """Departments with their share of large estates affected; the national figure is left out.

    Parameters
    ----------
    years_after : int
        Years after the 1953 decree.
    sort : {"descending", "ascending", "alphabetical"}
        Row order.

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``estates_affected_pct``, ``national_pct``, ``source_id``, ``note_en``,
        ``note_es``, ``years_after``.

    Examples
    --------
    >>> land_reform_data(sort="alphabetical").area.iloc[0]
    'Chuquisaca'

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
    lang: str | None = None,
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
    lang : {"en", "es"}, optional
        Language; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    lang = resolve_lang(lang)
    data = land_reform_data(sort=sort) if data is None else data
    ax = new_axes(ax, (7, 4.5))
    y = np.arange(len(data))[::-1]
    colours = [OKABE_ITO[5] if a == highlight else OKABE_ITO[4] for a in data.area]
    values = data.estates_affected_pct.astype(float)
    ax.barh(y, values, color=colours, height=0.6)
    ax.set_yticks(y, data.area, **DATA_TEXT)
    for yi, v in zip(y, values):
        ax.annotate(_percent(v, lang), (v, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=9)
    national = float(data.national_pct.iloc[0])
    # an empty row above the bars, where the national line is named: a legend in a corner would
    # cover the label of whichever bar the chosen order puts there
    ax.set_ylim(-0.6, len(data) + 0.4)
    if not np.isnan(national):
        ax.axvline(national, color=OKABE_ITO[7], linestyle="--", linewidth=1.2)
        ax.annotate(
            word("chart.land.national", lang, value=number(national, lang, 1)),
            (national, len(data) - 0.2),
            xytext=(4 if national < 50 else -4, 0),
            textcoords="offset points",
            ha="left" if national < 50 else "right",
            va="center",
            fontsize=9,
            **DATA_TEXT,
        )
    ax.set_xlim(0, 100)
    ax.set_xlabel(word("chart.land.axis", lang) + _single_source_note(data, lang))
    set_title(ax, word("chart.land.title", lang, years=int(data.years_after.iloc[0])))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_land_reform(data: pd.DataFrame | None = None, *, lang: str | None = None) -> str:
    """Text alternative for :func:`plot_land_reform` and :func:`plot_land_reform_map`.

    Examples
    --------
    >>> "Oruro: 76 %" in describe_land_reform(lang="en")
    True

    """
    lang = resolve_lang(lang)
    data = land_reform_data() if data is None else data
    text = word(
        "alt.land",
        lang,
        years=int(data.years_after.iloc[0]),
        departments="; ".join(f"{a}: {_percent(v, lang)}" for a, v in zip(data.area, data.estates_affected_pct)),
        national=number(float(data.national_pct.iloc[0]), lang, 1),
    )
    missing = sorted(set(departments()) - set(data.area))
    text += " " + word("alt.land.missing", lang, departments=", ".join(missing)) if missing else ""
    note = _single_source_note(data, lang, "")
    return text + (f" {note}." if note else "")


def _single_source_note(data: pd.DataFrame, lang: str, before: str = "\n") -> str:
    """Where every figure rests on one source, say so (and which) wherever the figures are shown."""
    cited = set(data.source_id.dropna().astype(str))
    if len(cited) != 1:
        return ""
    source = loaders.load_sources().set_index("source_id").loc[cited.pop()]
    year = "" if pd.isna(source.year) else f" ({source.year})"
    return before + word("chart.land.single_source", lang, source=f"{source.author}{year}")


class _Department:
    """One department's outline, ready to draw: its rings and where its name goes."""

    def __init__(self, name: str, rings: list[np.ndarray]) -> None:
        self.name, self.rings = name, rings
        self.centre = max(rings, key=len).mean(axis=0)  # of the largest ring: the mainland, not an island


def _shapes() -> tuple[_Department, ...]:
    """The nine departments in name order, read once (and again when a file changes)."""
    descriptor = data_dir() / DESCRIPTOR
    path = _map_file(descriptor, descriptor.stat().st_mtime_ns)
    return _read_shapes(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _map_file(descriptor: Path, _mtime_ns: int) -> Path:
    """The department outlines' file, as the data package's descriptor names it.

    (:func:`bolivia_lessons.schema.read_package` keeps only the tables, so the descriptor is read here.)
    """
    for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
        if resource["name"] == MAP_RESOURCE:
            return descriptor.parent / resource["path"]
    raise FileNotFoundError(f"{descriptor} lists no resource named {MAP_RESOURCE!r}")


@lru_cache(maxsize=4)
def _read_shapes(path: Path, _mtime_ns: int) -> tuple[_Department, ...]:
    """Decode TopoJSON department outlines into rings of (longitude, latitude) points."""
    topo = json.loads(path.read_text(encoding="utf-8"))
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
    return tuple(_Department(name, rings) for name, rings in sorted(shapes.items()))


def departments() -> list[str]:
    """The names of the departments on the map, in alphabetical order.

    Examples
    --------
    >>> len(departments())
    9

    """
    return [d.name for d in _shapes()]


def _frame_map(ax: Axes) -> None:
    """Fix the map's extent and aspect, without axes."""
    ax.set_xlim(*_MAP_X)
    ax.set_ylim(*_MAP_Y)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _label_positions(x: float, y: float, width: float, lines: int) -> Iterator[tuple[tuple[float, float], Box]]:
    """Offsets for a place's name and the box it would cover, in points, best first.

    Right and left of the marker, then ever further above and below it.
    """
    for level in (3, -10, 13, -20, 23, -30, 33, -40, 43, -50, 53, -60):
        for dx in (4, -4):
            dy = level if level > 0 else level - 8.5 * (lines - 1)  # a name below its marker hangs down
            x0 = x + dx if dx > 0 else x + dx - width
            yield (dx, dy), (x0 - 2, x0 + width + 2, y + dy - 3, y + dy + 1 + 8.5 * lines)


def _add_outline(ax: Axes, polygon: Polygon) -> None:
    """Add a department's outline without updating the data limits.

    ``Axes.add_patch`` would work out the outline's extent point by point (most of the time a map
    takes to draw), for data limits that the map never uses: its extent is fixed.
    """
    ax.add_artist(polygon)


def plot_land_reform_map(
    data: pd.DataFrame | None = None, *, highlight: str | None = None, lang: str | None = None, ax: Axes | None = None
) -> Axes:
    """Map of the nine departments shaded by the share of large estates affected.

    Departments without a figure in the source are hatched and labelled as such.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`land_reform_data`.
    highlight : str, optional
        A department drawn with a thick contrasting outline.
    lang : {"en", "es"}, optional
        Language; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    lang = resolve_lang(lang)
    data = land_reform_data() if data is None else data
    ax = new_axes(ax, (6.5, 6.5))
    values = dict(zip(data.area, data.estates_affected_pct.astype(float)))
    cmap = plt.get_cmap("cividis")
    for dep in _shapes():
        value = values.get(dep.name)
        for pts in dep.rings:
            face = cmap(value / 100) if value is not None else "#dddddd"
            _add_outline(
                ax,
                Polygon(
                    pts,
                    closed=True,
                    facecolor=face,
                    hatch=None if value is not None else "//",
                    edgecolor=OKABE_ITO[5] if dep.name == highlight else "white",
                    linewidth=2.5 if dep.name == highlight else 0.8,
                    label=dep.name,
                ),
            )
        label = f"{dep.name}\n{_percent(value, lang)}" if value is not None else f"{dep.name}\n—"
        # black on a pale box: readable on every shade, and where a name reaches past its department
        ax.text(
            *dep.centre,
            label,
            ha="center",
            va="center",
            fontsize=8,
            color="black",
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            **DATA_TEXT,
        )
    _frame_map(ax)
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, 100))
    ax.figure.colorbar(sm, ax=ax, shrink=0.6, label=word("chart.land.axis", lang))
    set_title(
        ax,
        word("chart.land.map_title", lang, years=int(data.years_after.iloc[0])) + _single_source_note(data, lang, "\n"),
    )
    ax.legend(
        handles=[Patch(facecolor="#dddddd", hatch="//", edgecolor="white", label=word("chart.land.no_figure", lang))],
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

    Examples
    --------
    >>> places_data(["oruro", "la_paz"]).place_id.tolist()
    ['la_paz', 'oruro']

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
    lang: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Map of the nine departments with places marked and named.

    Places that are less than about 5 km apart (a square and the palace beside it) share one marker
    so that their names stay readable.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`places_data`.
    place_ids : iterable of str, optional
        The places to mark, when ``data`` is omitted; every place in Bolivia by default.
    lang : {"en", "es"}, optional
        Language; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    lang = resolve_lang(lang)
    data = places_data(place_ids) if data is None else data
    ax = new_axes(ax, (6.5, 6.5))
    # Names are placed in points: each takes the first of a few positions around its marker that
    # does not cover a name already placed (Cochabamba and Sacaba are only 13 km apart). The map
    # keeps equal aspect, so the tighter of the two directions sets the scale.
    # The scale is read off the Axes once the figure is laid out (title and equal aspect included):
    # an estimate of it put names on top of each other.
    _frame_map(ax)
    set_title(ax, word("chart.places.title", lang))
    ax.figure.draw_without_rendering()
    (x0, _), (x1, _) = ax.transData.transform([(0, 0), (1, 0)])
    pt_per_degree = (x1 - x0) * 72 / ax.figure.dpi
    groups: list[list[pd.Series]] = []
    for _, row in data.sort_values(["events", "name"], ascending=[False, True]).iterrows():
        for group in groups:
            if abs(group[0].latitude - row.latitude) < 0.05 and abs(group[0].longitude - row.longitude) < 0.05:
                group.append(row)
                break
        else:
            groups.append([row])
    placer = LabelPlacer()
    for group in groups:  # no name covers a marker
        x, y = group[0].longitude * pt_per_degree, group[0].latitude * pt_per_degree
        placer.placed.append((x - 4, x + 4, y - 4, y + 4))
    for dep in _shapes():
        for pts in dep.rings:
            _add_outline(ax, Polygon(pts, closed=True, facecolor="#f2f2f2", edgecolor="#777777", linewidth=0.8))
        # a department's name at its centre, or just above or below it where a marker sits there
        # (Cochabamba city lies at the centre of its department); the places' names then keep off it
        cx, cy, half = dep.centre[0] * pt_per_degree, dep.centre[1] * pt_per_degree, text_width(len(dep.name), 9) / 2
        shifts = [(0, 0), (0, 14), (0, -14), (0, 28), (0, -28), (-40, 0), (40, 0), (-40, -20), (40, 20)]
        boxes = (((x, y), (cx + x - half - 6, cx + x + half + 6, cy + y - 9, cy + y + 9)) for x, y in shifts)
        dx, dy = placer.place(boxes)
        ax.annotate(
            dep.name,
            dep.centre,
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center",
            va="center",
            fontsize=9,
            color="#555555",
            style="italic",
            **DATA_TEXT,
        )
    for group in groups:
        head = group[0]
        ax.plot(head.longitude, head.latitude, "o", color=OKABE_ITO[5], markersize=5, markeredgecolor="black", zorder=3)
        # long names (a merged group, a mining district) go on two or three short lines
        label = textwrap.fill(" / ".join(str(r["name"]) for r in group), 24, break_long_words=False)
        lines = label.split("\n")
        x, y = head.longitude * pt_per_degree, head.latitude * pt_per_degree
        width = text_width(max(len(line) for line in lines))

        dx, dy = placer.place(_label_positions(x, y, width, len(lines)))
        ax.annotate(
            label,
            (head.longitude, head.latitude),
            xytext=(dx, dy),
            textcoords="offset points",
            ha="left" if dx > 0 else "right",
            fontsize=7,
            arrowprops=LEADER_LINE if abs(dy) > 10 else None,
            **DATA_TEXT,
        )
    return ax


def describe_places_map(
    data: pd.DataFrame | None = None, *, place_ids: Iterable[str] | None = None, lang: str | None = None
) -> str:
    """Text alternative for :func:`plot_places_map`: every place with its department.

    Examples
    --------
    >>> describe_places_map(place_ids=["oruro"], lang="en")
    "Map of Bolivia's nine departments with 1 places marked: Oruro (Oruro)."

    """
    lang = resolve_lang(lang)
    data = places_data(place_ids) if data is None else data
    places = "; ".join(r.name if pd.isna(r.department) else f"{r.name} ({r.department})" for r in data.itertuples())
    return word("alt.places", lang, count=len(data), places=places)
