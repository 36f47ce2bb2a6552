"""JupyterHub for one class on one machine: every learner gets their own copy of the lessons.

Start it as root from the virtual environment that holds the hub and the lessons::

    /opt/bolivia-hub/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

What it sets up (README.md beside this file has the steps and the figures measured for a class):

- Learners log in with their own system account (PAM), in the group ``students``; a teacher in
  the group ``teachers`` is an admin of the hub.
- Each learner's server runs as that learner. With ``jupyterhub-systemdspawner`` installed and
  systemd running, through SystemdSpawner, which enforces the memory and CPU limits below and gives
  each learner a private /tmp; otherwise through JupyterHub's LocalProcessSpawner, which enforces
  no limit.
- Before every start of a learner's server, ``bolivia-lessons lab bolivia-lessons --copy-only``
  runs as the learner in their home folder: the first start copies the student edition of every
  lesson, later starts only add lessons that a package update brought, and a notebook that is
  already there is never overwritten.
- jupyterhub-idle-culler stops servers nobody has used for an hour; each server shuts down
  kernels left without a browser tab after 20 minutes.
- The proxy is configurable-http-proxy, the npm package (Debian's nodejs and npm, then
  ``npm install -g configurable-http-proxy``). The Python port on PyPI was tried and is not used:
  README.md beside this file says why.

The settings a teacher is most likely to change come first.
"""

import shutil
import sys
from importlib.util import find_spec
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

# -- settings ---------------------------------------------------------------------------------------

#: Folder in each learner's home that receives the lessons.
LESSONS_FOLDER = "bolivia-lessons"
#: Edition of the lessons: "en" or "es".
LESSONS_LANG = "en"
#: Unix groups allowed to log in; members of TEACHERS are admins of the hub.
STUDENTS, TEACHERS = "students", "teachers"
#: Per learner: a lesson kernel holds about 140 MB after running every cell and a server about 160 MB;
#: 1 GB leaves room for five lessons open at once.
MEM_LIMIT = "1G"
#: Per learner, in cores: a learner never takes the whole machine from the others.
CPU_LIMIT = 1.0
#: Seconds without activity before a learner's server is stopped (their files stay).
IDLE_SERVER_S = 3600
#: Seconds before a kernel with no browser tab attached is shut down.
IDLE_KERNEL_S = 1200

# -- the hub ----------------------------------------------------------------------------------------

BIN = Path(sys.executable).parent  # the virtual environment the hub runs from

c.JupyterHub.bind_url = "http://:8000"  # put a TLS reverse proxy (nginx, Caddy) in front for a school network
c.JupyterHub.authenticator_class = "pam"
c.LocalAuthenticator.allowed_groups = {STUDENTS, TEACHERS}
c.PAMAuthenticator.admin_groups = {TEACHERS}

# the npm package, found on PATH (npm install -g puts it in /usr/bin or /usr/local/bin)
c.ConfigurableHTTPProxy.command = [shutil.which("configurable-http-proxy") or "configurable-http-proxy"]

# -- the learners' servers --------------------------------------------------------------------------

try:
    import systemdspawner  # noqa: F401  (pip install jupyterhub-systemdspawner)

    use_systemd = Path("/run/systemd/system").is_dir()
except ImportError:
    use_systemd = False
if use_systemd:
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.SystemdSpawner.disable_user_sudo = True
else:
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"

# Limits: SystemdSpawner enforces them (systemd MemoryMax and CPUQuota); LocalProcessSpawner only
# passes them to the server as MEM_LIMIT and CPU_LIMIT.
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT

# The copy hook. Every local spawner starts the server in the learner's home folder, as the learner,
# so the copy runs with the learner's rights and a relative folder lands in their home. `sh -c SCRIPT
# A B ARGS...` sets $0 to A and "$@" to B ARGS...: the spawner appends the server's arguments. No
# braces in the script: SystemdSpawner expands {USERNAME} in it with str.format.
COPY_SCRIPT = (
    f'"$0" lab {LESSONS_FOLDER} --copy-only --lang {LESSONS_LANG} '
    '|| echo "bolivia-lessons: could not copy the lessons; starting the server anyway" >&2; '
    'exec "$@"'
)
c.Spawner.cmd = ["/bin/sh", "-c", COPY_SCRIPT, str(BIN / "bolivia-lessons"), str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = f"/lab/tree/{LESSONS_FOLDER}/00_start_here.ipynb"
c.Spawner.args = [
    # classrooms are often offline: no news feed, no update check (as `bolivia-lessons lab` does)
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    f"--MappingKernelManager.cull_idle_timeout={IDLE_KERNEL_S}",
    "--MappingKernelManager.cull_interval=120",
    # server extensions learners do not use here, each loaded at every start of every server: Voila (the
    # teacher presents with `bolivia-lessons present` on their own machine) and the language-server bridge
    # (no language server is installed)
    "--ServerApp.jpserver_extensions=voila.server_extension=False",
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
]
# Every server start imports jsonschema, which compiles about 40 grammars of rfc3987-syntax (0.8 CPU-seconds)
# unless the regex-based rfc3987 is installed: with it, a class of 30 arriving within a minute on 2 cores
# waited 28 s instead of 38 s (p95). README.md beside this file has the figures and the licence note.
if find_spec("rfc3987") is None and find_spec("rfc3987_syntax") is not None:
    print(
        "jupyterhub_config: each learner's server spends 0.8 CPU-seconds starting up in rfc3987-syntax; "
        "`pip install rfc3987` (GPL-3.0) or `pip uninstall rfc3987-syntax` in this environment avoids it",
        file=sys.stderr,
    )
# A class logging in at once makes servers start slowly: wait longer than the defaults (60 s, 30 s)
# before calling a start failed.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120

# -- culling idle servers ---------------------------------------------------------------------------

c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_SERVER_S}", "--cull-every=300"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
