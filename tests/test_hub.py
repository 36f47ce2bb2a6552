"""The class set-up on JupyterHub: the shipped configuration, and a small class through tests/load_hub.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
Z2JH_VALUES = ROOT / "deploy" / "z2jh" / "values.yaml"
LOAD_HUB = ROOT / "tests" / "load_hub.py"
LAST_LINE = re.compile(
    r"learners=(?P<learners>\d+) p50_s=(?P<p50>[\d.]+|nan) p95_s=(?P<p95>[\d.]+|nan) max_s=(?P<max>[\d.]+|nan) "
    r"run_all_p95_s=(?P<run_all_p95>[\d.]+|nan) failures=(?P<failures>\d+) peak_rss_mb=(?P<rss>\d+)"
)

sys.path.insert(0, str(ROOT / "tests"))
import load_hub  # noqa: E402


@pytest.fixture(scope="module")
def hub_config():
    return PyFileConfigLoader(HUB_CONFIG.name, str(HUB_CONFIG.parent)).load_config()


def test_config_chooses_a_local_spawner_with_limits(hub_config):
    local = ("systemdspawner.SystemdSpawner", "jupyterhub.spawner.LocalProcessSpawner")
    assert hub_config.JupyterHub.spawner_class in local
    assert hub_config.Spawner.mem_limit == "1G"
    assert hub_config.Spawner.cpu_limit == 1.0
    assert hub_config.JupyterHub.authenticator_class == "pam"


def test_config_culls_idle_servers(hub_config):
    services = {s["name"]: s for s in hub_config.JupyterHub.services}
    command = services["idle-culler"]["command"]
    assert command[1:3] == ["-m", "jupyterhub_idle_culler"]
    assert any(a.startswith("--timeout=") for a in command)
    role = next(r for r in hub_config.JupyterHub.load_roles if r["name"] == "idle-culler")
    assert role["services"] == ["idle-culler"]
    assert {"list:users", "read:users:activity", "read:servers", "delete:servers"} <= set(role["scopes"])


def test_config_copies_the_lessons_before_every_server_start(hub_config):
    cmd = hub_config.Spawner.cmd
    assert cmd[:2] == ["/bin/sh", "-c"]
    assert "--copy-only" in cmd[2] and 'exec "$@"' in cmd[2]
    assert "{" not in cmd[2] and "}" not in cmd[2]  # SystemdSpawner runs str.format over the command
    assert Path(cmd[3]).name == "bolivia-lessons" and Path(cmd[3]).is_file()
    assert Path(cmd[4]).name == "jupyterhub-singleuser" and Path(cmd[4]).is_file()
    assert hub_config.Spawner.default_url == "/lab/tree/bolivia-lessons/00_start_here.ipynb"


def test_config_uses_the_npm_proxy(hub_config):
    assert Path(hub_config.ConfigurableHTTPProxy.command[0]).name == "configurable-http-proxy"


def run_hook(cmd: list[str], home: Path) -> str:
    """The spawner's command, with a stand-in for the server that reports its arguments."""
    server = [sys.executable, "-c", "import sys; print('server started', sys.argv[1:])", "--port=1"]
    done = subprocess.run(cmd[:4] + server, cwd=home, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_copy_hook_gives_student_copies_then_never_overwrites(hub_config, tmp_path):
    cmd = hub_config.Spawner.cmd
    out = run_hook(cmd, tmp_path)
    assert "server started ['--port=1']" in out
    lessons = tmp_path / "bolivia-lessons"
    first = lessons / "00_start_here.ipynb"
    nb = json.loads(first.read_text(encoding="utf-8"))
    assert not any("teacher" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])  # the student copy

    first.write_text(first.read_text(encoding="utf-8").replace("Start here", "My notes"), encoding="utf-8")
    mine = first.read_text(encoding="utf-8")
    (lessons / "05_election_1956.ipynb").unlink()  # as if a package update brought a lesson
    out = run_hook(cmd, tmp_path)
    assert "server started" in out
    assert first.read_text(encoding="utf-8") == mine
    assert (lessons / "05_election_1956.ipynb").is_file()


def test_copy_hook_starts_the_server_even_if_the_copy_fails(hub_config, tmp_path):
    (tmp_path / "bolivia-lessons").write_text("a file where the folder should be", encoding="utf-8")
    assert "server started" in run_hook(hub_config.Spawner.cmd, tmp_path)


def test_z2jh_values_use_the_repo2docker_image_and_the_same_class_rules():
    text = Z2JH_VALUES.read_text(encoding="utf-8")
    assert "not tested" in text.lower()
    values = yaml.safe_load(text)
    single = values["singleuser"]
    assert single["image"]["name"] and single["image"]["tag"]
    assert "--copy-only" in " ".join(single["cmd"])
    assert single["defaultUrl"] == "/lab/tree/bolivia-lessons/00_start_here.ipynb"
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert values["cull"]["enabled"] is True


def test_summary_line_format():
    line = load_hub.summary_line(3, [1.0, 2.0, 4.0], [0.5, 0.7], 0, 1234.4)
    assert line == "learners=3 p50_s=2.00 p95_s=3.80 max_s=4.00 run_all_p95_s=0.69 failures=0 peak_rss_mb=1234"
    assert LAST_LINE.fullmatch(line)
    assert LAST_LINE.fullmatch(load_hub.summary_line(2, [], [], 2, 0.0))


@pytest.mark.slow
def test_a_class_of_five_on_a_real_hub():
    if shutil.which("configurable-http-proxy") is None:
        pytest.fail("configurable-http-proxy is not installed: npm install -g configurable-http-proxy (see .ci/run)")
    cmd = [sys.executable, str(LOAD_HUB), "--learners", "5", "--window", "10", "--timeout", "150"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=ROOT)
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-3000:]
    match = LAST_LINE.fullmatch(lines[-1])
    assert match, done.stdout[-3000:]
    assert match["learners"] == "5"
    assert match["failures"] == "0", done.stdout[-4000:]
    assert done.returncode == 0
    assert float(match["p95"]) > 0 and int(match["rss"]) > 0
