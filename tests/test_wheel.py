"""A real wheel (not an editable install) carries data/ and loads every table in a fresh venv."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
import bolivia_lessons as bl
tables = {name: len(bl.load_table(name)) for name in bl.list_tables()}
from bolivia_lessons.classroom import lesson_paths
lessons = [str(p) for p in lesson_paths()]
print(json.dumps({"file": bl.__file__, "data": str(bl.data_dir()), "tables": tables, "version": bl.__version__,
                  "lessons": lessons}))
"""


@pytest.mark.slow
def test_wheel_installs_and_loads_every_table(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("bolivia_lessons-*.whl"))
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The runtime dependencies (pandas, ...) are taken from this test environment rather than
    # downloaded again: a .pth file appends its site-packages *after* the fresh venv's own, so
    # bolivia_lessons itself can only come from the wheel just installed.
    fresh_site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (fresh_site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    out = subprocess.run([str(python), "-c", PROBE], cwd=tmp_path, capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    assert Path(report["file"]).is_relative_to(env_dir)
    assert Path(report["data"]) == Path(report["file"]).parent / "data"
    shipped = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(report["tables"]) == sorted(r["name"] for r in shipped["resources"] if "schema" in r)
    # the lessons travel in the wheel too, for `bolivia-lessons lab` after a plain `pip install`
    lessons = [Path(p) for p in report["lessons"]]
    assert [p.name for p in lessons] == sorted(p.name for p in (ROOT / "notebooks" / "en").glob("[0-9][0-9]_*.ipynb"))
    assert all(p.parent == Path(report["file"]).parent / "notebooks" / "en" for p in lessons)
    assert all(n > 0 for n in report["tables"].values())
    # the version the wheel reports is the one pyproject.toml declares, read rather than repeated here
    declared = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    assert declared and report["version"] == declared.group(1)
    cli = subprocess.run(
        [str(env_dir / "bin" / "bolivia-lessons"), "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 0 and cli.stdout.startswith("OK:"), cli.stdout + cli.stderr
    lab = subprocess.run(
        [str(env_dir / "bin" / "bolivia-lessons"), "lab", "class", "--copy-only"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"added {len(lessons)}" in lab.stdout
    assert len(list((tmp_path / "class").glob("*.ipynb"))) == len(lessons)
