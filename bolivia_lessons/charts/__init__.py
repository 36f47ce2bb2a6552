"""Charts of the data set, drawn with matplotlib.

Each chart comes as three functions: ``<chart>_data()`` prepares a tidy DataFrame (pure, no
drawing), ``plot_<chart>(data=None, *, ax=None, lang=None, ...)`` draws it and returns the Axes
(it never calls ``plt.show()``), and ``describe_<chart>()`` returns a text alternative with the
numbers, for screen readers and for learners who cannot see the chart. Without ``lang`` they
speak the notebook's language (:func:`bolivia_lessons.text.set_lang`).

Colours come from the Okabe–Ito palette, which stays distinguishable with the common forms of
colour blindness; the map uses the ``cividis`` colour map for the same reason. Text that comes
from the data is drawn as it is written, never read as mathematics (``$5`` stays ``$5``).

The chart families live in their own modules (:mod:`.elections`, :mod:`.land`, :mod:`.timeline`,
:mod:`.power`) and share :mod:`._common`; everything public is available from here.

Examples
--------
>>> from bolivia_lessons import charts
>>> ax = charts.plot_election(election_id="1956_general", scale="log", lang="en")
>>> ax.get_xscale(), " ".join(ax.get_title().split())  # a long title is broken to fit the figure
('log', 'Presidential election of 17 June 1956: votes per candidate')

"""

from ._common import CATEGORY_COLOURS, HOW_COLOURS, OKABE_ITO, OUTCOME_COLOURS
from .elections import (
    describe_election,
    describe_electorate,
    election_data,
    electorate_data,
    plot_election,
    plot_electorate,
)
from .land import (
    MAP_RESOURCE,
    SORTS,
    departments,
    describe_land_reform,
    describe_places_map,
    land_reform_data,
    places_data,
    plot_land_reform,
    plot_land_reform_map,
    plot_places_map,
)
from .power import (
    COUP_DATASETS,
    coups_by_decade_data,
    coups_data,
    describe_coups_by_decade,
    describe_heads_of_state,
    heads_of_state_data,
    plot_coups_by_decade,
    plot_heads_of_state,
)
from .timeline import describe_timeline, period_spans, plot_timeline, timeline_data

__all__ = [
    "CATEGORY_COLOURS",
    "COUP_DATASETS",
    "HOW_COLOURS",
    "MAP_RESOURCE",
    "OKABE_ITO",
    "OUTCOME_COLOURS",
    "SORTS",
    "coups_by_decade_data",
    "coups_data",
    "departments",
    "describe_coups_by_decade",
    "describe_election",
    "describe_electorate",
    "describe_heads_of_state",
    "describe_land_reform",
    "describe_places_map",
    "describe_timeline",
    "election_data",
    "electorate_data",
    "heads_of_state_data",
    "land_reform_data",
    "places_data",
    "plot_coups_by_decade",
    "plot_election",
    "plot_electorate",
    "plot_heads_of_state",
    "plot_land_reform",
    "plot_land_reform_map",
    "plot_places_map",
    "period_spans",
    "plot_timeline",
    "timeline_data",
]
