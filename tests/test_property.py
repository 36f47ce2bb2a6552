"""Random corruption of a valid file gives the project's error, never any other exception."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bolivia_lessons as bl
from bolivia_lessons import DataError
from bolivia_lessons.paths import DATA_ENV

ORIGINAL = bl.data_dir()
TABLES = ["events", "elections", "election_results", "land_reform", "claim_versions", "places"]

edits = st.one_of(
    st.tuples(st.just("replace"), st.integers(0, 10**6), st.integers(0, 40), st.binary(max_size=12)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.just(0), st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 200), st.just(b"")),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0), st.just(b"")),
)


def corrupt(data: bytes, edit: tuple[str, int, int, bytes]) -> bytes:
    kind, at, length, new = edit
    at %= max(len(data), 1)
    if kind == "replace":
        return data[:at] + new + data[at + length :]
    if kind == "insert":
        return data[:at] + new + data[at:]
    if kind == "delete":
        return data[:at] + data[at + length :]
    return data[:at]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(TABLES), edit_list=st.lists(edits, min_size=1, max_size=3))
def test_random_corruption_raises_only_data_error(table: str, edit_list: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(ORIGINAL, root)
        path = root / f"{table}.csv"
        data = path.read_bytes()
        for edit in edit_list:
            data = corrupt(data, edit)
        path.write_bytes(data)
        problems = bl.check(root)  # must return, whatever the bytes
        for p in problems:
            assert p.file and p.expected
            assert Path(p.file).parent == root
        previous = os.environ.get(DATA_ENV)
        os.environ[DATA_ENV] = str(root)
        try:
            bl.load_table(table)
        except DataError as err:  # the loader reports exactly what the checker found
            assert err.problems == problems
        else:
            assert problems == []
        finally:
            if previous is None:
                del os.environ[DATA_ENV]
            else:
                os.environ[DATA_ENV] = previous
