"""Print the project's speed figures. A benchmark that prints numbers, not a timed test.

* ``import bolivia_lessons``, and whether it pulled in matplotlib or ipywidgets (target: it does not);
* loading every table after the import (target: under 100 ms);
* redrawing each explorer's chart after a control change, measured in-process (target: median
  at most 50 ms), as wall-clock time and as this process's CPU time (which other work on a busy
  machine does not inflate);
* the nbval suite over every lesson against its floor: the same number of notebooks that only start
  a kernel and run the lessons' set-up cell (imports and ``setup()``), under the same pytest
  command (target: at most 1.2 times the floor);
* a full build of every lesson from its source, and the build's check (``bolivia-lessons build``).

Run: ``.venv/bin/python tests/bench.py``
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


REDRAWS = [
    ("timeline explorer: year slider", "timeline_explorer", "years", [(1940, 2024), (1952, 1952), (1932, 2024)]),
    ("election explorer: scale", "election_explorer", "scale", ["log", "linear"]),
    ("election explorer: measure", "election_explorer", "measure", ["share", "votes"]),
    ("land-reform explorer: sort", "land_reform_explorer", "sort", ["ascending", "alphabetical", "descending"]),
    ("land-reform explorer: map view", "land_reform_explorer", "view", ["map", "bars"]),
    ("coup explorer: outcome", "coup_explorer", "outcome", ["failed", "successful", ""]),
]


def redraw_times(rounds: int = 5) -> None:
    """Time each explorer's redraw after a control change, in this process."""
    import matplotlib

    matplotlib.use("Agg")
    from bolivia_lessons import widgets

    print("Explorer redraw after a control change, in-process (target: median <= 50 ms)")
    for label, make, control, values in REDRAWS:
        box = getattr(widgets, make)()
        wall, cpu = [], []
        for _ in range(rounds):
            for value in values:
                t0, c0 = time.perf_counter(), time.process_time()
                box.controls[control].value = value
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        print(
            f"  {label:<34} median {statistics.median(wall) * 1000:6.1f} ms   max {max(wall) * 1000:6.1f} ms"
            f"   (CPU median {statistics.median(cpu) * 1000:6.1f} ms)"
        )


ROOT = Path(__file__).resolve().parents[1]


def _is_setup(cell: dict) -> bool:
    """The lessons' first code cell: imports and ``setup()`` (or ``setup(lang=...)``)."""
    source = "".join(cell["source"])
    return cell["cell_type"] == "code" and "import bolivia_lessons" in source and "setup(" in source


def _nbval_seconds(folder: Path) -> float:
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--nbval"]
    args += ["--nbval-current-env", "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(folder)]
    t0 = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=folder)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        print(done.stdout[-2000:])
        raise SystemExit(f"nbval failed in {folder}")
    return elapsed


def nbval_times() -> None:
    """Time nbval over every lesson and over as many set-up-only notebooks (the floor)."""
    lessons = sorted((ROOT / "notebooks").glob("*/[0-9][0-9]_*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        floor_dir, lesson_dir = Path(tmp, "floor"), Path(tmp, "lessons")
        floor_dir.mkdir()
        lesson_dir.mkdir()
        for path in lessons:
            name = f"{path.parent.name}_{path.name}"
            shutil.copy(path, lesson_dir / name)
            nb = json.loads(path.read_text(encoding="utf-8"))
            nb["cells"] = [c for c in nb["cells"] if _is_setup(c)]
            (floor_dir / name).write_text(json.dumps(nb), encoding="utf-8")
        floor = _nbval_seconds(floor_dir)
        suite = _nbval_seconds(lesson_dir)
    print(f"nbval over {len(lessons)} lessons (pytest start-up included in both)")
    print(f"  floor (kernel start + imports + setup per notebook): {floor:6.1f} s")
    print(f"  whole lessons:                                       {suite:6.1f} s")
    print(f"  ratio: {suite / floor:.2f} (target <= 1.2)")


def build_times() -> None:
    """Time a full build of every lesson (fresh kernels, outputs stored) and the build's check."""
    for label, args in (("build (every lesson, every edition)", []), ("build --check", ["--check"])):
        with tempfile.TemporaryDirectory() as tmp:
            notebooks = Path(tmp, "notebooks")
            shutil.copytree(ROOT / "notebooks", notebooks)
            cmd = [sys.executable, "-m", "bolivia_lessons.cli", "build", "--notebooks", str(notebooks), *args]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            elapsed = time.perf_counter() - t0
        lessons = sum(" en/" in line or " es/" in line for line in done.stdout.splitlines())
        print(f"  {label}: {elapsed:6.1f} s for {lessons} notebooks (exit status {done.returncode})")


def main() -> None:
    """Run the probe several times and print the medians in milliseconds, then the redraw times."""
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
    print()
    redraw_times()
    print()
    nbval_times()
    print()
    print("lesson build")
    build_times()


if __name__ == "__main__":
    main()
