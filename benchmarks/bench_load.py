"""Print how long ``import bolivia_lessons`` takes and how long loading every table takes after it.

Targets (issue 2): the import does not import matplotlib or ipywidgets; loading all tables takes
under 100 ms after import. This is a benchmark that prints figures, not a timed test.

Run: ``python benchmarks/bench_load.py``
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

RUNS = 7

# Each run is a fresh interpreter, so nothing is cached from the run before.
PROBE = """
import json, sys, time
t0 = time.perf_counter()
import bolivia_lessons as bl
t1 = time.perf_counter()
names = bl.list_tables()
for name in names:
    bl.load_table(name)
t2 = time.perf_counter()
for name in names:
    bl.load_table(name)
t3 = time.perf_counter()
heavy = sorted(m for m in ("matplotlib", "ipywidgets") if m in sys.modules)
print(json.dumps({"import": t1 - t0, "cold": t2 - t1, "warm": t3 - t2, "heavy": heavy, "tables": len(names)}))
"""


def main() -> None:
    """Run the probe several times and print the medians in milliseconds."""
    runs = [
        json.loads(subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout)
        for _ in range(RUNS)
    ]

    def ms(key: str) -> str:
        return f"{statistics.median(r[key] for r in runs) * 1000:.1f} ms"

    print(f"bolivia_lessons load benchmark, median of {RUNS} fresh interpreters")
    print(f"  import bolivia_lessons:                  {ms('import')}")
    print(f"  modules matplotlib/ipywidgets imported:  {runs[0]['heavy'] or 'none'}")
    print(f"  load all {runs[0]['tables']} tables after import (cold): {ms('cold')}   (target < 100 ms)")
    print(f"  load all tables again (in-memory copy):  {ms('warm')}")


if __name__ == "__main__":
    main()
