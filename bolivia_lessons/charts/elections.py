"""Elections: one election's candidates, and the electorate before and after universal suffrage."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, NullLocator

from .. import loaders
from ..text import long_date, number, resolve_lang, word
from ._common import DATA_TEXT, OKABE_ITO, new_axes, set_title

__all__ = [
    "describe_election",
    "describe_electorate",
    "election_data",
    "electorate_data",
    "plot_election",
    "plot_electorate",
]


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

    Examples
    --------
    >>> election_data("1956_general").candidate.iloc[0]
    'Hernán Siles Zuazo'

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
    lang: str | None = None,
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
    lang : {"en", "es"}, optional
        Language of titles and labels; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> plot_election(election_id="1956_general", scale="log", lang="es").get_xlabel()
    'Votos — escala logarítmica'

    """
    lang = resolve_lang(lang)
    if measure not in ("votes", "share"):
        raise ValueError("measure must be 'votes' or 'share'")
    if scale not in ("linear", "log"):
        raise ValueError("scale must be 'linear' or 'log'")
    data = election_data(election_id) if data is None else data
    ax = new_axes(ax, (8, 0.6 * len(data) + 1.6))
    values = data.votes.astype(float) if measure == "votes" else data.share_pct.astype(float)
    labels = [f"{c} ({p})" for c, p in zip(data.candidate, data.party)]
    y = np.arange(len(data))[::-1]
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(data))]
    ax.barh(y, values, color=colours, height=0.6, edgecolor="#333333", linewidth=0.5)
    ax.set_yticks(y, labels, **DATA_TEXT)
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
    if scale == "log":
        # Bars on a logarithmic axis have no zero to start from: they start at a round power of ten
        # below the smallest value, which the axis names, and the axis is marked only at powers of
        # ten (never beyond "100 %" for shares); the space on the right is for the labels.
        low = 10.0 ** np.floor(np.log10(max(values.min(), 1e-9)))
        ax.set_xlim(low, values.max() * 30)
        top = 100.0 if measure == "share" else values.max() * 30  # no share above 100 %
        ax.xaxis.set_major_locator(FixedLocator(10.0 ** np.arange(np.log10(low), np.floor(np.log10(top)) + 1)))
        ax.xaxis.set_minor_locator(NullLocator())
    else:
        ax.set_xlim(0, values.max() * 1.35)
    # plain numbers on the axis ("200,000"), never an offset like "1e6" that learners misread
    ax.xaxis.set_major_formatter(lambda v, _pos: number(v, lang, 0 if v >= 1 or v == 0 else 1))
    votes = measure == "votes"
    ax.set_xlabel(word("chart.votes" if votes else "chart.share", lang) + " — " + word(f"chart.scale.{scale}", lang))
    what = word("chart.election.votes_per_candidate" if votes else "chart.election.share_per_candidate", lang)
    set_title(ax, word("chart.election.title", lang, date=long_date(data.date.iloc[0].date(), lang), what=what))
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_election(
    data: pd.DataFrame | None = None, *, election_id: str = "1956_general", lang: str | None = None
) -> str:
    """Text alternative for :func:`plot_election`, with every candidate's votes and share.

    Examples
    --------
    >>> describe_election(election_id="1956_general", lang="en")[:60]
    'Bar chart of the presidential election of 17 June 1956, one '

    """
    lang = resolve_lang(lang)
    data = election_data(election_id) if data is None else data
    smallest, largest = data.iloc[-1], data.iloc[0]
    return word(
        "alt.election",
        lang,
        date=long_date(data.date.iloc[0].date(), lang),
        candidates="; ".join(
            f"{c} ({p}): {number(v, lang)} ({number(s, lang, 2)} %)"
            for c, p, v, s in zip(data.candidate, data.party, data.votes, data.share_pct)
        ),
        smallest=smallest.candidate,
        ratio=number(100 * smallest.votes / largest.votes, lang, 1),
        winner=largest.candidate,
    )


def electorate_data(election_ids: Sequence[str] = ("1951_general", "1956_general")) -> pd.DataFrame:
    """Registered voters, valid votes and (where known) all ballots cast, in date order.

    The chart compares valid votes, known for every election, because the total of ballots cast
    (valid plus blank and void) is missing or disputed for 1951 and 1956: see the claims
    ``election_1951_votes_cast`` and ``election_1956_votes_cast``.

    Examples
    --------
    >>> electorate_data().year.tolist()
    [1951, 1956]

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


def plot_electorate(data: pd.DataFrame | None = None, *, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Grouped bars: registered voters and valid votes, before and after universal suffrage.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        Output of :func:`electorate_data` (1951 and 1956 by default).
    lang : {"en", "es"}, optional
        Language of titles and labels; the notebook's language when omitted.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    """
    lang = resolve_lang(lang)
    data = electorate_data() if data is None else data
    ax = new_axes(ax, (7, 4.5))
    x = np.arange(len(data))
    for offset, col, key, colour in [
        (-0.2, "registered_voters", "chart.electorate.registered", OKABE_ITO[4]),
        (0.2, "valid_votes", "chart.electorate.valid", OKABE_ITO[0]),
    ]:
        values = data[col].astype(float)
        ax.bar(x + offset, values, width=0.4, label=word(key, lang), color=colour)
        for xi, v in zip(x + offset, values):
            ax.annotate(number(v, lang), (xi, v), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    ax.set_xticks(x, data.year.astype(str))
    ax.set_ylabel(word("chart.electorate.people", lang))
    ax.yaxis.set_major_formatter(lambda v, _pos: number(v, lang))
    ax.set_ylim(top=data[["registered_voters", "valid_votes"]].to_numpy(dtype=float).max() * 1.15)
    set_title(ax, word("chart.electorate.title", lang))
    ax.legend(frameon=False, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def describe_electorate(data: pd.DataFrame | None = None, *, lang: str | None = None) -> str:
    """Text alternative for :func:`plot_electorate`."""
    lang = resolve_lang(lang)
    data = electorate_data() if data is None else data
    years = [
        word(
            "alt.electorate.year",
            lang,
            year=r.year,
            registered=number(r.registered_voters, lang),
            valid=number(r.valid_votes, lang),
        )
        for r in data.itertuples()
    ]
    return word(
        "alt.electorate",
        lang,
        years="; ".join(years),
        first=data.year.iloc[0],
        last=data.year.iloc[-1],
        grew=number(data.registered_voters.iloc[-1] / data.registered_voters.iloc[0], lang, 1),
        votes=number(data.valid_votes.iloc[-1] / data.valid_votes.iloc[0], lang, 1),
    )
