"""Print how long validating and loading a large teacher folder takes, and the memory it needs.

A benchmark that prints numbers, not a timed test. It writes 200,000 valid extra events (each with
its ``event_sources`` row, as every event must be cited) into a temporary folder, then, each in a
fresh interpreter so that neither phase inherits the other's memory:

* validating them with the shipped data (``bolivia_lessons.check(extra=...)``);
* loading every table with them merged (``load_table`` for each table).

Peak memory is the process's peak resident set size (``resource.getrusage``), printed both in
total and as the growth over the same interpreter just after ``import bolivia_lessons``.

Run: ``.venv/bin/python tests/bench_large.py [N]`` (N defaults to 200000).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

N = 200_000

PROBE = """
import json, resource, sys, time
import bolivia_lessons as bl
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
extra = sys.argv[2]
t0 = time.perf_counter()
if sys.argv[1] == "validate":
    problems = bl.check(extra=extra)
    assert not problems, problems[:3]
else:
    for name in bl.list_tables():
        bl.load_table(name, extra=extra)
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": peak / 1024, "growth_mb": (peak - base) / 1024}))
"""


def write_events(folder: Path, n: int) -> None:
    """Write ``n`` valid events and one citation for each into ``folder``."""
    header = (
        "event_id,start_date,end_date,date_precision,title_en,title_es,summary_en,summary_es,"
        "category,period_id,place_id,department,lesson_id,key_event"
    ).split(",")
    with (folder / "events.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for i in range(n):
            out.writerow(
                [
                    f"1953_teacher_event_{i}",
                    f"1953-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                    "" if i % 3 else f"1954-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                    "day",
                    f"Local event number {i}",
                    f"Evento local número {i}",
                    f"What happened in local event number {i}, written by a teacher for a class, with a comma.",
                    f"Lo que ocurrió en el evento local número {i}, escrito por una docente para su clase.",
                    "reform",
                    "revolution",
                    "la_paz",
                    "La Paz",
                    "4",
                    "false",
                ]
            )
    with (folder / "event_sources.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["event_id", "source_id", "locator", "note"])
        for i in range(n):
            out.writerow([f"1953_teacher_event_{i}", "abc_2019_mesa", "", ""])


def run(phase: str, folder: Path) -> dict[str, float]:
    """Run one phase in a fresh interpreter and return its figures."""
    done = subprocess.run([sys.executable, "-c", PROBE, phase, str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def main() -> None:
    """Write the folder, run both phases and print the figures."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_events(folder, n)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        print(f"{n:,} extra events with one citation each ({size:.0f} MB of CSV), merged with the shipped data")
        for phase, label in (("validate", "validate (bl.check)"), ("load", "load every table")):
            r = run(phase, folder)
            print(
                f"  {label:<20} {r['seconds']:6.2f} s   peak RSS {r['peak_mb']:6.0f} MB"
                f"   (+{r['growth_mb']:.0f} MB over the imported package)"
            )


if __name__ == "__main__":
    main()
