"""Every table loads with the schema's dtypes, keys are unique, foreign keys resolve, facts are cited."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import bolivia_lessons as bl
from bolivia_lessons.schema import read_package

PACKAGE = read_package(bl.data_dir())
RESOURCES = {r.name: r for r in PACKAGE.resources}
TABLES = list(RESOURCES)
FREQ = {"day": "D", "month": "M", "year": "Y"}


def test_list_tables_is_the_manifest() -> None:
    manifest = json.loads((bl.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    tabular = [r["name"] for r in manifest["resources"] if "schema" in r]
    assert bl.list_tables() == tabular


@pytest.mark.parametrize("name", TABLES)
def test_each_table_has_its_loader(name: str) -> None:
    loader = getattr(bl, f"load_{name}")
    pd.testing.assert_frame_equal(loader(), bl.load_table(name))


@pytest.mark.parametrize("name", TABLES)
def test_columns_and_dtypes_follow_the_schema(name: str) -> None:
    df = bl.load_table(name)
    resource = RESOURCES[name]
    assert list(df.columns) == list(resource.field_names)
    assert len(df) > 0
    for f in resource.fields:
        assert str(df[f.name].dtype) == f.pandas_dtype, f.name
        if f.enum is not None:
            assert list(df[f.name].cat.categories) == list(f.enum)
        if f.required:
            assert df[f.name].notna().all(), f.name


@pytest.mark.parametrize("name", TABLES)
def test_historical_dates_keep_their_precision(name: str) -> None:
    df = bl.load_table(name)
    for f in RESOURCES[name].fields:
        if not f.is_historical_date:
            continue
        for value, precision in zip(df[f.name], df[f.precision_field]):
            if pd.isna(value):
                continue
            assert isinstance(value, pd.Period)
            assert value.freqstr.startswith(FREQ[precision]), (value, precision)


@pytest.mark.parametrize("name", [n for n in TABLES if RESOURCES[n].primary_key])
def test_primary_keys_are_unique(name: str) -> None:
    df = bl.load_table(name)
    key = list(RESOURCES[name].primary_key)
    assert not df.duplicated(key).any()
    assert df[key].notna().all().all()


FKS = [(n, fk) for n in TABLES for fk in RESOURCES[n].foreign_keys]


@pytest.mark.parametrize(("name", "fk"), FKS, ids=[f"{n}.{'/'.join(fk.fields)}" for n, fk in FKS])
def test_foreign_keys_resolve(name: str, fk) -> None:
    child = bl.load_table(name)[list(fk.fields)].dropna().astype(object)
    parent = bl.load_table(fk.resource)[list(fk.reference)].astype(object)
    known = set(map(tuple, parent.to_numpy()))
    missing = [k for k in map(tuple, child.to_numpy()) if k not in known]
    assert missing == []


def test_every_event_is_cited_and_corroborated() -> None:
    events = bl.load_events()
    links = bl.load_event_sources().merge(bl.load_sources(), on="source_id")
    cited = links.groupby("event_id")
    assert set(events.event_id) <= set(links.event_id)
    # at least one source that does not argue a political position stands behind every event
    independent = links[~links.partisan].event_id
    assert set(events.event_id) <= set(independent), set(events.event_id) - set(independent)
    # key events: at least two sources from different publications
    publications = cited.publication.nunique()
    key = events[events.key_event].event_id
    assert (publications[key] >= 2).all(), list(key[publications[key].to_numpy() < 2])


def test_events_cover_1932_to_june_2024() -> None:
    events = bl.load_events()
    assert len(events) >= 90
    years = events.start_date.map(lambda p: p.year)
    assert years.min() == 1932
    last = max(events.start_date, key=lambda p: p.start_time)
    assert (last.year, last.month) == (2024, 6)
    assert events.key_event.sum() >= 20
    assert set(events.lesson_id) >= set(range(1, 9))


def test_events_lie_within_their_period() -> None:
    events = bl.load_events().merge(bl.load_periods(), on="period_id")
    years = events.start_date.map(lambda p: p.year)
    outside = events[(years < events.start_year) | (years > events.end_year)]
    assert outside.empty, outside[["event_id", "period_id"]].to_dict("records")


def test_event_department_matches_its_place() -> None:
    events = bl.load_events().merge(bl.load_places(), on="place_id", suffixes=("", "_place"))
    both = events.dropna(subset=["department", "department_place"])
    mismatched = both[both.department.astype(str) != both.department_place.astype(str)]
    assert mismatched.empty, mismatched[["event_id", "department", "department_place"]].to_dict("records")


@pytest.mark.parametrize(
    ("table", "en", "es"),
    [
        ("events", "title_en", "title_es"),
        ("events", "summary_en", "summary_es"),
        ("glossary", "definition_en", "definition_es"),
        ("people", "description_en", "description_es"),
    ],
)
def test_learner_text_exists_in_both_languages(table: str, en: str, es: str) -> None:
    df = bl.load_table(table)
    assert df[en].notna().all() and df[es].notna().all()
    assert (df[en] != df[es]).all(), df.loc[df[en] == df[es], en].tolist()


def test_required_organizations_have_spanish_names_and_founding_dates() -> None:
    orgs = bl.load_organizations().set_index("org_id")
    for org in ["mnr", "cob", "por", "pir", "pcb", "fstmb", "fsb", "mas"]:
        assert pd.notna(orgs.loc[org, "name_es"]) and pd.notna(orgs.loc[org, "abbreviation"]), org
        assert isinstance(orgs.loc[org, "founded_date"], pd.Period), org


def test_glossary_has_at_least_thirty_terms() -> None:
    glossary = bl.load_glossary()
    assert len(glossary) >= 30
    for term in ["dual_power", "co_government", "la_rosca", "pongueaje", "latifundio", "militia"]:
        assert term in set(glossary.term_id), term


@pytest.mark.parametrize("year", [1951, 1956])
def test_presidential_elections_are_complete(year: int) -> None:
    elections = bl.load_elections().set_index("election_id")
    results = bl.load_election_results()
    eid = f"{year}_general"
    row = elections.loc[eid]
    mine = results[results.election_id == eid]
    assert len(mine) >= 3
    assert mine.votes.sum() == row.valid_votes
    for col in ["registered_voters", "valid_votes"]:
        assert pd.notna(row[col]), col
    # a total left empty must be explained: every version found is kept as a claim
    if pd.isna(row.votes_cast):
        claims = bl.load_claims()
        disputed = claims[(claims.subject_id == eid) & (claims.field == "votes_cast")]
        assert len(disputed) == 1, f"{eid}.votes_cast is empty and no claim records why"
    shares = (mine.votes / row.valid_votes * 100).round(2)
    assert (shares - mine.share_pct).abs().max() <= 0.01


def test_universal_suffrage_multiplied_the_electorate() -> None:
    e = bl.load_elections().set_index("election_id")
    assert e.loc["1956_general", "registered_voters"] > 5 * e.loc["1951_general", "registered_voters"]
    assert e.loc["1956_general", "valid_votes"] > 7 * e.loc["1951_general", "valid_votes"]


def test_land_reform_has_the_national_figure_and_departments() -> None:
    land = bl.load_land_reform()
    two = land[land.years_after_decree == 2].set_index("area")
    assert two.loc["Bolivia", "estates_affected_pct"] == pytest.approx(28.5)
    assert len(two) >= 7


def test_coups_cover_1946_to_2024_with_classifications() -> None:
    coups = bl.load_coups()
    classified = bl.load_coup_classifications()
    assert set(coups.coup_id) <= set(classified.coup_id)
    years = coups.date.map(lambda p: p.year)
    assert years.min() <= 1946 and years.max() == 2024
    by_id = coups.set_index("coup_id")
    assert by_id.loc["1964_11_04", "outcome"] == "successful"
    assert by_id.loc["2024_06_26", "outcome"] == "failed"
    events = bl.load_events().set_index("event_id")
    # an event whose category is itself disputed (November 2019) keeps a neutral category and a claim
    claims = bl.load_claims()
    disputed = set(claims.subject_id[(claims.subject_table == "events") & (claims.field == "category")])
    categories = events.loc[coups.event_id, "category"].astype(str)
    assert (categories[~categories.index.isin(disputed)] == "coup").all()


def test_claims_keep_every_version() -> None:
    claims = bl.load_claims()
    versions = bl.load_claim_versions()
    per_claim = versions.groupby("claim_id")
    assert set(claims.claim_id) == set(versions.claim_id)
    # several sources may agree with the accepted value, each phrased its own way; at least 15
    # claims record a real disagreement (a version that is not accepted beside one that is)
    disputed = (per_claim.accepted.sum() >= 1) & (per_claim.accepted.sum() < per_claim.size())
    assert disputed.sum() >= 15
    # a figure that only one source gives is kept as an unverified claim, never as accepted
    single = per_claim.size() == 1
    assert not per_claim.accepted.any()[single].any()
    assert (~single).sum() >= 15


def test_heads_of_state_do_not_overlap_except_juntas() -> None:
    hos = bl.load_heads_of_state().sort_values("start_date")
    assert hos.start_date.min().year <= 1946
    ends = hos.end_date.fillna(pd.Timestamp("2024-12-31"))
    assert (ends >= hos.start_date).all()


@pytest.mark.parametrize(("lang", "no_date"), [("en", "no date"), ("es", "sin fecha")])
def test_an_undated_source_reads_no_date_not_a_question_mark(lang: str, no_date: str) -> None:
    from bolivia_lessons.lessons import source_cards
    from bolivia_lessons.text import word

    cards = source_cards(["academialab_chaco_war"], lang=lang)
    assert list(cards[word("table.year", lang)]) == [no_date]
