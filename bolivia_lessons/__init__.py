"""Jupyter lessons on Bolivia's 1952 National Revolution, dual power and the coups that followed.

The package loads a curated, cited data set (``load_events()``, ``load_sources()``, …) and
checks it against its schema. Importing it does not import matplotlib or ipywidgets; charts
and widgets live in their own modules.
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import DataError, Problem
from .loaders import (
    check,
    list_tables,
    load_claim_versions,
    load_claims,
    load_coup_classifications,
    load_coups,
    load_document_quotes,
    load_documents,
    load_election_results,
    load_elections,
    load_event_organizations,
    load_event_people,
    load_event_sources,
    load_events,
    load_glossary,
    load_heads_of_state,
    load_land_reform,
    load_lesson_objectives,
    load_lessons,
    load_organizations,
    load_people,
    load_periods,
    load_places,
    load_quiz_options,
    load_quiz_questions,
    load_sources,
    load_table,
)
from .paths import data_dir

try:
    __version__ = version("bolivia-lessons")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = [
    "DataError",
    "Problem",
    "__version__",
    "check",
    "data_dir",
    "list_tables",
    "load_claim_versions",
    "load_claims",
    "load_coup_classifications",
    "load_coups",
    "load_document_quotes",
    "load_documents",
    "load_election_results",
    "load_elections",
    "load_event_organizations",
    "load_event_people",
    "load_event_sources",
    "load_events",
    "load_glossary",
    "load_heads_of_state",
    "load_land_reform",
    "load_lesson_objectives",
    "load_lessons",
    "load_organizations",
    "load_people",
    "load_periods",
    "load_places",
    "load_quiz_options",
    "load_quiz_questions",
    "load_sources",
    "load_table",
]
