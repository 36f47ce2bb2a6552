"""Who held power: heads of state and how they got there, and coups and attempts by decade."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from .. import loaders
from ..text import date_text, resolve_lang, word
from ._common import DATA_TEXT, HOW_COLOURS, OUTCOME_COLOURS, decade_label, new_axes, set_title

#: The cross-national coup data sets in ``sources`` whose classifications the coups chart counts,
#: with the short name a chart shows. A chart counts what one data set lists; it never decides
#: itself whether an event (1952, November 2019) was a coup.
COUP_DATASETS = {"powell_thyne_2011_coups": "Powell & Thyne", "cline_2021_coups": "Cline Center"}
#: How a data set's classification is counted: as a successful coup, a failed attempt, or not at all.
_COUNTED = {"coup": "successful", "self_coup": "successful", "attempted_coup": "failed"}

__all__ = [
    "COUP_DATASETS",
    "coups_by_decade_data",
    "coups_data",
    "describe_coups_by_decade",
    "describe_heads_of_state",
    "heads_of_state_data",
    "plot_coups_by_decade",
    "plot_heads_of_state",
]


def heads_of_state_data(start: int = 1946, end: int = 2024) -> pd.DataFrame:
    """Terms in office that overlap ``start``–``end``, with names, in order of taking office.

    Examples
    --------
    >>> heads_of_state_data(1952, 1956).name.iloc[0]
    'Hugo Ballivián Rojas'

    """
    hos = loaders.load_heads_of_state()
    people = loaders.load_people().set_index("person_id")
    hos["name"] = people.loc[hos.person_id, "name"].to_numpy()
    hos["until"] = hos.end_date.fillna(pd.Timestamp(f"{end}-12-31"))
    keep = (hos.until >= pd.Timestamp(f"{start}-01-01")) & (hos.start_date <= pd.Timestamp(f"{end}-12-31"))
    return hos[keep].sort_values(["start_date", "term_id"]).reset_index(drop=True)


def plot_heads_of_state(
    data: pd.DataFrame | None = None,
    *,
    start: int = 1946,
    end: int = 2024,
    lang: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each head of state's time in office as a bar, coloured by how they came to power.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`heads_of_state_data`; computed from ``start`` and ``end`` when omitted.
    start, end : int
        The years shown.
    lang : {"en", "es"}, optional
        Language; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    lang = resolve_lang(lang)
    data = heads_of_state_data(start, end) if data is None else data
    ax = new_axes(ax, (10, 0.22 * len(data) + 1.8))
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
    ax.set_yticks(y, data.name, fontsize=7, **DATA_TEXT)
    ax.xaxis_date()
    ax.set_xlim(mdates.date2num(pd.Timestamp(f"{start}-01-01")), mdates.date2num(pd.Timestamp(f"{end}-12-31")))
    hows = [h for h in HOW_COLOURS if h in set(data.how.astype(str))]
    ax.legend(
        handles=[Patch(color=HOW_COLOURS[h], label=word(f"enum.heads_of_state.how.{h}", lang)) for h in hows],
        frameon=False,
        loc="upper right",
        fontsize=8,
    )
    set_title(ax, word("chart.heads.title", lang, start=start, end=end))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_heads_of_state(
    data: pd.DataFrame | None = None, *, start: int = 1946, end: int = 2024, lang: str | None = None
) -> str:
    """Text alternative for :func:`plot_heads_of_state`: counts by route to power, then every term."""
    lang = resolve_lang(lang)
    data = heads_of_state_data(start, end) if data is None else data
    counts = ", ".join(
        f"{word(f'enum.heads_of_state.how.{h}', lang)} {n}" for h, n in data.how.astype(str).value_counts().items()
    )
    terms = "; ".join(
        f"{r.name} {date_text(r.start_date, lang)} – "
        f"{word('alt.heads.in_office', lang) if pd.isna(r.end_date) else date_text(r.end_date, lang)} "
        f"({word(f'enum.heads_of_state.how.{r.how}', lang)})"
        for r in data.itertuples()
    )
    return word("alt.heads", lang, count=len(data), start=start, end=end, counts=counts, terms=terms)


def coups_data(
    decade: int | None = None,
    outcome: str | None = None,
    leader: str | None = None,
    *,
    coups: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Coups and attempts in date order, with their target and leaders by name; optionally filtered.

    Parameters
    ----------
    decade : int, optional
        Only this decade's (``1970`` for 1970–1979).
    outcome : {"successful", "failed"}, optional
        Only those with this outcome.
    leader : str, optional
        Only those this person (``people.name``) led.
    coups : pandas.DataFrame, optional
        Rows that this function returned before, to filter instead of reading the data again (an
        explorer filters the same rows on every change of a control).

    Returns
    -------
    pandas.DataFrame
        Columns ``coup_id``, ``event_id``, ``date`` (ISO text of the date's precision), ``decade``,
        ``outcome`` (whether the targeted head of state lost office),
        ``title_en``, ``title_es``, ``target`` and ``leaders`` (a list of names, perhaps empty).

    Examples
    --------
    >>> rows = coups_data(decade=1950, outcome="successful")
    >>> set(rows.decade), set(rows.outcome), "1952-04-09" in set(rows.date)
    ({1950}, {'successful'}, True)

    """
    rows = _coup_rows() if coups is None else coups
    keep = np.ones(len(rows), dtype=bool)
    if decade is not None:
        keep &= rows.decade.to_numpy() == decade
    if outcome is not None:
        keep &= rows.outcome.to_numpy() == outcome
    if leader is not None:
        keep &= np.array([leader in names for names in rows.leaders], dtype=bool)
    return rows[keep].reset_index(drop=True)


def _coup_rows() -> pd.DataFrame:
    coups = loaders.load_coups()
    people = loaders.load_people()
    names = dict(zip(people.person_id, people.name.astype(str)))
    events = loaders.load_events().set_index("event_id").loc[coups.event_id]
    ep = loaders.load_event_people()
    leaders: dict[str, list[str]] = {}
    for event_id, person_id, role in zip(ep.event_id, ep.person_id, ep.role):
        if role == "leader":
            leaders.setdefault(event_id, []).append(names[person_id])
    return pd.DataFrame(
        {
            "coup_id": coups.coup_id.astype(str).to_numpy(),
            "event_id": coups.event_id.astype(str).to_numpy(),
            "date": coups.date.astype(str).to_numpy(),
            "decade": [d.year // 10 * 10 for d in coups.date],
            "outcome": coups.outcome.astype(str).to_numpy(),
            "title_en": events.title_en.astype(str).to_numpy(),
            "title_es": events.title_es.astype(str).to_numpy(),
            "target": [names[p] for p in coups.target_person_id],
            "leaders": [leaders.get(e, []) for e in coups.event_id],
        }
    )


def coups_by_decade_data(
    start: int = 1940,
    end: int = 2029,
    *,
    coups: pd.DataFrame | None = None,
    dataset: str = "powell_thyne_2011_coups",
) -> pd.DataFrame:
    """Coups and coup attempts per decade as one coup data set lists them (zeros included).

    A coup is counted as successful where the data set classifies it as a coup or a self-coup, as
    failed where it classifies it as an attempt, and not at all where the data set does not list
    it. Other sources' readings (a revolution, a resignation under pressure) are in
    ``coup_classifications`` but are not what a coup data set counts.

    Parameters
    ----------
    start, end : int
        The years covered, widened to whole decades.
    coups : pandas.DataFrame, optional
        The coups to count, as :func:`coups_data` returns them (perhaps filtered); all when omitted.
    dataset : str
        The ``source_id`` of a coup data set (a key of :data:`COUP_DATASETS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``decade``, ``successful``, ``failed`` and ``covered`` (whether the data set covers
        any year of the decade); ``attrs["dataset"]`` names the data set and ``attrs["covers"]``
        gives its first and last year (``sources.covers_from``, ``covers_to``).

    Examples
    --------
    >>> pt = coups_by_decade_data().set_index("decade")
    >>> int(pt.loc[1950:1980, ["successful", "failed"]].to_numpy().sum()), bool(pt.loc[1940, "covered"])
    (23, False)

    """
    if dataset not in COUP_DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(COUP_DATASETS)}, not {dataset!r}")
    coups = coups_data() if coups is None else coups
    classes = loaders.load_coup_classifications()
    classes = classes[classes.source_id == dataset]
    counted = dict(zip(classes.coup_id.astype(str), classes.classification.astype(str).map(_COUNTED)))
    outcome = np.array([counted.get(c) for c in coups.coup_id], dtype=object)
    decades = list(range(start // 10 * 10, end + 1, 10))
    decade = coups.decade.to_numpy()
    counts = {
        o: [int(np.count_nonzero((decade == d) & (outcome == o))) for d in decades] for o in ("successful", "failed")
    }
    # a decade the data set does not cover at all is marked as such: its zero is "not asked", not "none"
    source = loaders.load_sources().set_index("source_id").loc[dataset]
    first = int(source.covers_from) if "covers_from" in source and pd.notna(source.covers_from) else decades[0]
    last = int(source.covers_to) if "covers_to" in source and pd.notna(source.covers_to) else decades[-1] + 9
    covered = [d + 9 >= first and d <= last for d in decades]
    out = pd.DataFrame({"decade": decades, **counts, "covered": covered})
    out.attrs.update(dataset=dataset, covers=(first, last))
    return out


def plot_coups_by_decade(
    data: pd.DataFrame | None = None,
    *,
    dataset: str = "powell_thyne_2011_coups",
    lang: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Stacked bars per decade: successful coups below, failed attempts above.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`coups_by_decade_data`.
    dataset : str
        Without ``data``: the coup data set to count (a key of :data:`COUP_DATASETS`).
    lang : {"en", "es"}, optional
        Language; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    lang = resolve_lang(lang)
    data = coups_by_decade_data(dataset=dataset) if data is None else data
    ax = new_axes(ax, (8, 4.2))
    x = np.arange(len(data))
    ax.bar(x, data.successful, color=OUTCOME_COLOURS["successful"], label=word("chart.coups.successful", lang))
    ax.bar(
        x,
        data.failed,
        bottom=data.successful,
        color=OUTCOME_COLOURS["failed"],
        label=word("chart.coups.failed", lang),
        hatch="//",
        edgecolor="white",
    )
    covered = data.covered if "covered" in data else pd.Series(True, index=data.index)
    for xi in x[~covered.to_numpy(dtype=bool)]:
        # a decade outside the data set: shaded and named, so that no one reads its empty bar as "no coups"
        ax.axvspan(xi - 0.4, xi + 0.4, color="#e8e8e8", zorder=0, linewidth=0)
        ax.text(
            xi,
            0.5,
            word("chart.coups.not_covered", lang),
            rotation=90,
            ha="center",
            va="center",
            fontsize=9,
            color="#333333",
            transform=ax.get_xaxis_transform(),
            **DATA_TEXT,
        )
    ax.set_xticks(x, [decade_label(d, lang) for d in data.decade])
    ax.set_xlabel(word("term.decade", lang))
    ax.set_ylabel(word("chart.coups.count", lang))
    ax.yaxis.get_major_locator().set_params(integer=True)
    first, last = data.attrs.get("covers", (int(data.decade.iloc[0]), int(data.decade.iloc[-1]) + 9))
    dataset = _dataset_name(data.attrs.get("dataset", "powell_thyne_2011_coups"), lang)
    set_title(ax, word("chart.coups.title", lang, dataset=dataset, start=first, end=last))
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_coups_by_decade(
    data: pd.DataFrame | None = None, *, dataset: str = "powell_thyne_2011_coups", lang: str | None = None
) -> str:
    """Text alternative for :func:`plot_coups_by_decade`.

    Examples
    --------
    >>> describe_coups_by_decade(lang="es")[:45]
    'Barras apiladas, por década, de los golpes e '

    """
    lang = resolve_lang(lang)
    data = coups_by_decade_data(dataset=dataset) if data is None else data
    covered = data.covered if "covered" in data else pd.Series(True, index=data.index)
    decades = "; ".join(
        word("alt.coups.decade", lang, decade=decade_label(d, lang), successful=s, failed=f)
        if c
        else word("alt.coups.not_covered", lang, decade=decade_label(d, lang))
        for d, s, f, c in zip(data.decade, data.successful, data.failed, covered)
    )
    first, last = data.attrs.get("covers", (int(data.decade.iloc[0]), int(data.decade.iloc[-1]) + 9))
    return word(
        "alt.coups",
        lang,
        dataset=_dataset_name(data.attrs.get("dataset", "powell_thyne_2011_coups"), lang),
        start=first,
        end=last,
        successful=int(data.successful.sum()),
        failed=int(data.failed.sum()),
        decades=decades,
    )


def _dataset_name(dataset: str, lang: str) -> str:
    """A coup data set's name as readers of ``lang`` say it ("Powell y Thyne", "el Centro Cline")."""
    return word(f"chart.coups.dataset.{dataset}", lang)
