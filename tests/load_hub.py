"""A class on a real JupyterHub, on this machine only: how long each learner waits, what the class costs.

Run from the repository (it uses the hub configuration in deploy/jupyterhub/)::

    .venv/bin/python tests/load_hub.py --learners 30 --window 60

It starts JupyterHub on 127.0.0.1 in a temporary folder, with the shipped configuration and three test
changes: a shared password instead of system accounts, SimpleLocalProcessSpawner (homes in the
temporary folder, no Unix users needed) and loopback ports. Then N learners arrive evenly spread over
S seconds. Each one logs in through the login form, asks the hub for an API token and its server,
opens lessons 00 and 05 (the student copies that the copy hook put in its home) through the REST API,
runs every code cell through the kernel websocket, changes one control of the first explorer the lessons
show (lesson 00's timeline explorer; if there is none, the election explorer opened in lesson 05's
kernel) through a widget comm message and waits for the redraw. When the whole class has finished (the bell:
``--leave together``, the default, so that memory is measured with the whole class on the machine)
each learner stops its server.

Time to interactive is from the start of the login to the reply of lesson 00's first code cell (the
set-up cell). Run-all is the time to run every code cell of one lesson, as Run All does. Peak RSS is
the largest sum, over the samples taken every half second, of the resident memory of the hub, the
proxy, the idle culler, the single-user servers and the kernels.

Everything listens on 127.0.0.1 and stops by itself: a deadline (``--timeout``) bounds the run, and
the hub and every process it started are stopped on success, failure, Ctrl+C or SIGTERM (processes are
found as the hub's descendants and by a marker in their environment). The last line reads::

    learners=N p50_s=… p95_s=… max_s=… run_all_p95_s=… failures=K peak_rss_mb=…
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.simple_httpclient import HTTPTimeoutError
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
HOST = "127.0.0.1"
LESSONS = ("00_start_here.ipynb", "05_election_1956.ipynb")
MARK = "BOLIVIA_LOAD_HUB_RUN"  # in the environment of every process of one run, to find them all at the end
# phases of a learner's session, in order; "tti" (time to interactive) is login + spawn + open 00 + kernel 00 +
# setup_cell, and run_all counts both lessons
PHASES = (
    "login",
    "spawn",
    "open 00",
    "kernel 00",
    "setup_cell",
    "tti",
    "open 05",
    "kernel 05",
    "run_all",
    "explorer",
    "stop",
)
CELL_TIMEOUT_S = 180
SPAWN_TIMEOUT_S = 240


def say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default); nan for no values."""
    s = sorted(values)
    if not s:
        return math.nan
    k = (len(s) - 1) * q
    lo = math.floor(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summary_line(learners: int, tti: list[float], run_all: list[float], failures: int, peak_rss_mb: float) -> str:
    """The last line of a run (tests/test_hub.py parses it)."""
    return (
        f"learners={learners} p50_s={percentile(tti, 0.5):.2f} p95_s={percentile(tti, 0.95):.2f} "
        f"max_s={max(tti, default=math.nan):.2f} run_all_p95_s={percentile(run_all, 0.95):.2f} "
        f"failures={failures} peak_rss_mb={peak_rss_mb:.0f}"
    )


# -- the hub and everything it starts --------------------------------------------------------------


class Hub:
    """JupyterHub in a temporary folder, started in its own process group and always stopped."""

    def __init__(self, keep: bool, proxy_command: str | None, server_env: dict[str, str] | None = None) -> None:
        self.run_id = uuid.uuid4().hex
        self.server_env = {**(server_env or {}), MARK: self.run_id}
        self.admin_token = uuid.uuid4().hex  # a service allowed to create users and start servers (--warm)
        self.tmp = Path(tempfile.mkdtemp(prefix="bolivia-load-hub-"))
        self.keep, self.proxy_command = keep, proxy_command
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.password = "class-" + uuid.uuid4().hex[:12]
        self.log_path = self.tmp / "hub.log"
        self.proc: subprocess.Popen | None = None
        self.seen: dict[int, float] = {}  # pid -> create_time of every process of this run seen so far
        self._stopped = False

    def config(self) -> str:
        lines = [
            "c = get_config()  # noqa",
            f"load_subconfig({str(DEPLOY_CONFIG)!r})",
            "# test changes: loopback ports, files in the temporary folder, a shared password, no Unix users",
            f"c.JupyterHub.bind_url = 'http://{HOST}:{self.port}'",
            f"c.JupyterHub.hub_bind_url = 'http://{HOST}:{self.hub_port}'",
            f"c.ConfigurableHTTPProxy.api_url = 'http://{HOST}:{self.api_port}'",
            f"c.ConfigurableHTTPProxy.pid_file = {str(self.tmp / 'proxy.pid')!r}",
            f"c.JupyterHub.db_url = 'sqlite:///{self.tmp / 'jupyterhub.sqlite'}'",
            f"c.JupyterHub.cookie_secret_file = {str(self.tmp / 'cookie_secret')!r}",
            "c.JupyterHub.authenticator_class = 'shared-password'",
            f"c.SharedPasswordAuthenticator.user_password = {self.password!r}",
            "c.Authenticator.allow_all = True",
            "c.JupyterHub.spawner_class = 'jupyterhub.spawner.SimpleLocalProcessSpawner'",
            f"c.SimpleLocalProcessSpawner.home_dir_template = {str(self.tmp / 'home' / '{username}')!r}",
            "c.Spawner.ip = '127.0.0.1'",
            f"c.Spawner.environment = {self.server_env!r}",
            f"c.JupyterHub.services.append({{'name': 'load-test', 'api_token': {self.admin_token!r}}})",
            "c.JupyterHub.load_roles.append(",
            "    {'name': 'load-test', 'scopes': ['admin:users', 'admin:servers'], 'services': ['load-test']}",
            ")",
        ]
        if os.geteuid() == 0:  # SimpleLocalProcessSpawner runs servers as the hub's user
            lines.append("c.Spawner.args = [*c.Spawner.args, '--allow-root']")
        if self.proxy_command:
            lines.append(f"c.ConfigurableHTTPProxy.command = [{self.proxy_command!r}]")
        return "\n".join(lines) + "\n"

    async def start(self, timeout: float = 90) -> None:
        (self.tmp / "home").mkdir()
        cfg = self.tmp / "jupyterhub_config.py"
        cfg.write_text(self.config(), encoding="utf-8")
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(cfg)],
            cwd=self.tmp,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ | {MARK: self.run_id},
            start_new_session=True,
        )
        log.close()
        self.seen[self.proc.pid] = psutil.Process(self.proc.pid).create_time()
        client = AsyncHTTPClient()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with status {self.proc.returncode}:\n{self.log_tail()}")
            try:
                r = await client.fetch(f"{self.url}/hub/api/", raise_error=False, request_timeout=5)
                if r.code == 200:
                    return
            except OSError:  # not listening yet
                pass
            await asyncio.sleep(0.25)
        raise RuntimeError(f"JupyterHub did not answer on {self.url} within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def processes(self) -> list[psutil.Process]:
        """The hub and all its descendants now (proxy, culler, servers, kernels)."""
        if self.proc is None:
            return []
        try:
            hub = psutil.Process(self.proc.pid)
            procs = [hub, *hub.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        for p in procs:
            try:
                self.seen.setdefault(p.pid, p.create_time())
            except psutil.NoSuchProcess:
                pass
        return procs

    def orphans(self) -> list[str]:
        """Processes of this run that are alive but no longer under the hub (a server's leftover kernels)."""
        under_hub = {p.pid for p in self.processes()}
        out = []
        for pid, created in self.seen.items():
            try:
                p = psutil.Process(pid)
                if pid not in under_hub and abs(p.create_time() - created) < 0.01 and p.status() != "zombie":
                    out.append(f"{kind(p, -1)} {pid}")
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                pass
        return out

    def stop(self) -> None:
        """Stop the hub (which stops the proxy and the servers), then anything of this run still alive."""
        if self._stopped:
            return
        self._stopped = True
        self.processes()  # note the latest children before the hub goes
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        left = []
        for pid, created in self.seen.items():
            try:
                p = psutil.Process(pid)
                if abs(p.create_time() - created) < 0.01:
                    left.append(p)
            except psutil.NoSuchProcess:
                pass
        for p in psutil.process_iter():  # orphans the hub no longer knew: they carry this run's marker
            if p.pid == os.getpid() or p in left:
                continue
            try:
                if p.environ().get(MARK) == self.run_id:
                    left.append(p)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                pass
        names = []
        for p in left:
            try:
                if p.status() != psutil.STATUS_ZOMBIE:
                    names.append(kind(p, -1))
                p.terminate()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                pass
        _, alive = psutil.wait_procs(left, timeout=5)
        for p in alive:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        if names:
            counts = {n: names.count(n) for n in sorted(set(names))}
            say(f"stopped what the hub had left running: {', '.join(f'{n} {c}' for n, c in counts.items())}")
        if self.keep:
            say(f"kept {self.tmp} (hub log: {self.log_path})")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def busy_cpu_s() -> float:
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def kind(p: psutil.Process, hub_pid: int) -> str:
    """What a process of the hub's tree is, for the memory and CPU breakdown."""
    if p.pid == hub_pid:
        return "hub"
    cmd = " ".join(p.cmdline())
    if "ipykernel" in cmd:
        return "kernels"
    if "configurable-http-proxy" in cmd:
        return "proxy"
    if "--copy-only" in cmd and "jupyterhub-singleuser" not in cmd:
        return "copy"
    if "jupyterhub-singleuser" in cmd or "labhub" in cmd:
        return "servers"
    if "idle_culler" in cmd:
        return "culler"
    return "other"


@dataclass
class Monitor:
    """Samples memory and CPU of the hub's tree every half second."""

    hub: Hub
    peak_rss_mb: float = 0.0
    peak_breakdown: dict[str, float] = field(default_factory=dict)
    peak_counts: dict[str, int] = field(default_factory=dict)
    cpu_s: dict[int, tuple[str, float]] = field(default_factory=dict)  # pid -> (kind, CPU seconds) when last seen
    system_cpu: list[float] = field(default_factory=list)
    last: tuple[float, int] = (0.0, 0)
    start: tuple[float, float, float] = (0.0, 0.0, 0.0)  # machine busy CPU-s, this process's CPU-s, wall clock

    def begin(self) -> None:
        """Note the machine's and this process's CPU time, to tell at the end what else ran meanwhile."""
        self.start = (busy_cpu_s(), own_cpu_s(), time.monotonic())

    def outside(self) -> tuple[float, float, float]:
        """CPU-seconds since begin(): the whole machine, this load generator, everything but the hub's tree."""
        machine, own = busy_cpu_s() - self.start[0], own_cpu_s() - self.start[1]
        return machine, own, machine - own - sum(self.cpu_by_kind().values())

    def sample(self) -> None:
        hub_pid = self.hub.proc.pid if self.hub.proc else -1
        total, by_kind, counts = 0.0, {}, {}
        for p in self.hub.processes():
            try:
                # classified at every sample: a process seen between fork and exec still shows its parent's
                # command line
                k = kind(p, hub_pid)
                with p.oneshot():
                    rss = p.memory_info().rss / 2**20
                    t = p.cpu_times()
                self.cpu_s[p.pid] = (k, t.user + t.system)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            total += rss
            by_kind[k] = by_kind.get(k, 0.0) + rss
            counts[k] = counts.get(k, 0) + 1
        self.system_cpu.append(psutil.cpu_percent(interval=None))
        self.last = (total, counts.get("kernels", 0))
        if total > self.peak_rss_mb:
            self.peak_rss_mb, self.peak_breakdown, self.peak_counts = total, by_kind, counts

    async def run(self) -> None:
        psutil.cpu_percent(interval=None)
        while True:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(0.5)

    def cpu_by_kind(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for k, s in self.cpu_s.values():
            out[k] = out.get(k, 0.0) + s
        return out


# -- one learner --------------------------------------------------------------------------------------


class LearnerError(Exception):
    """A step of a learner's session failed (the message says which)."""


@dataclass
class Result:
    name: str
    times: dict[str, float] = field(default_factory=dict)
    run_all: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    done: bool = False
    progress_broken: bool = False


class Kernel:
    """A kernel websocket (JSON messages, as JupyterLab's default protocol), one request at a time."""

    def __init__(self, ws, session: str) -> None:
        self.ws, self.session = ws, session
        self.comms: dict[str, dict] = {}  # comm_id -> widget state
        self.pending: dict[str, dict] = {}
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                for p in self.pending.values():
                    if not p["done"].done():
                        p["done"].set_exception(LearnerError("kernel websocket closed"))
                return
            if not isinstance(raw, str):
                continue  # binary frames: widget buffers, not used by these lessons
            msg = json.loads(raw)
            if msg["msg_type"] == "comm_open":
                self.comms[msg["content"]["comm_id"]] = msg["content"].get("data", {}).get("state", {})
            elif msg["msg_type"] == "comm_msg" and msg["content"].get("data", {}).get("method") == "update":
                # later changes of a widget's state (an explorer's CSS classes are added after it opens)
                self.comms.setdefault(msg["content"]["comm_id"], {}).update(msg["content"]["data"].get("state", {}))
            p = self.pending.get(msg.get("parent_header", {}).get("msg_id"))
            if p is None:
                continue
            p["msgs"].append(msg)
            if msg.get("channel") == "shell" and msg["msg_type"].endswith("_reply"):
                p["reply"] = msg
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                p["idle"] = True
            if p["idle"] and (p["reply"] is not None or not p["want_reply"]) and not p["done"].done():
                p["done"].set_result(None)

    async def request(self, msg_type: str, content: dict, timeout: float, want_reply: bool = True) -> dict:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "msg_type": msg_type,
            "username": "learner",
            "session": self.session,
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "version": "5.3",
        }
        p = {"msgs": [], "reply": None, "idle": False, "want_reply": want_reply}
        p["done"] = asyncio.get_running_loop().create_future()
        self.pending[msg_id] = p
        msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
        await self.ws.write_message(json.dumps(msg))
        try:
            await asyncio.wait_for(asyncio.shield(p["done"]), timeout)
        finally:
            del self.pending[msg_id]
        return p

    async def ready(self, timeout: float) -> None:
        """Ask for kernel_info until the kernel answers (as JupyterLab does when it connects)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                await self.request("kernel_info_request", {}, timeout=2)
                return
            except asyncio.TimeoutError:
                if time.monotonic() > deadline:
                    raise LearnerError(f"kernel did not answer within {timeout:.0f} s") from None

    async def execute(self, code: str, where: str) -> dict:
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        try:
            p = await self.request("execute_request", content, timeout=CELL_TIMEOUT_S)
        except asyncio.TimeoutError:
            raise LearnerError(f"{where}: no reply within {CELL_TIMEOUT_S} s") from None
        reply = p["reply"]["content"]
        if reply.get("status") != "ok":
            raise LearnerError(f"{where}: {reply.get('ename')}: {reply.get('evalue')}")
        return p

    async def close(self) -> None:
        self.ws.close()
        self.reader.cancel()


SELECTIONS = ("ToggleButtonsModel", "DropdownModel", "RadioButtonsModel")


def explorer_control(comms: dict[str, dict]) -> tuple[str, dict] | None:
    """The first choice control (comm id, state) inside a widget box of class ``bl-explorer``, if any."""

    def walk(state: dict):
        for ref in state.get("children", []):
            child_id = str(ref).removeprefix("IPY_MODEL_")
            child = comms.get(child_id, {})
            if child.get("_model_name") in SELECTIONS and len(child.get("_options_labels", [])) > 1:
                yield child_id, child
            yield from walk(child)

    for state in comms.values():
        if "bl-explorer" in state.get("_dom_classes", []):
            for found in walk(state):
                return found
    return None


class Learner:
    """One learner's session, through the hub's login form, its REST API and the kernel websocket."""

    def __init__(self, hub: Hub, name: str) -> None:
        self.hub, self.name = hub, name
        self.client = AsyncHTTPClient()
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.spawn_requested = False
        self.progress_broken = ""
        self.result = Result(name)

    # HTTP with the cookies a browser would keep
    async def fetch(self, path: str, *, method: str = "GET", body=None, headers=None, auth=True, **kw):
        h = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if auth and self.token:
            h = {"Authorization": f"token {self.token}"}
        h.update(headers or {})
        if isinstance(body, dict):
            body, h["Content-Type"] = json.dumps(body), "application/json"
        kw.setdefault("request_timeout", 120)
        r = await self.client.fetch(
            self.hub.url + path,
            method=method,
            body=body,
            headers=h,
            follow_redirects=False,
            raise_error=False,
            allow_nonstandard_methods=True,
            **kw,
        )
        for raw in r.headers.get_list("Set-Cookie"):
            for k, morsel in SimpleCookie(raw).items():
                self.cookies[k] = morsel.value
        return r

    def check(self, r, what: str, codes=(200,)):
        if r.code not in codes:
            detail = r.body[:300].decode("utf-8", "replace") if r.body else (str(r.error) if r.error else "")
            raise LearnerError(f"{what}: HTTP {r.code} {detail}")
        return r

    async def login(self) -> None:
        self.check(await self.fetch("/hub/login", auth=False), "login page")
        form = {"username": self.name, "password": self.hub.password, "_xsrf": self.cookies.get("_xsrf", "")}
        r = await self.fetch("/hub/login?next=", method="POST", body=urlencode(form), auth=False)
        self.check(r, "login", (302, 303))
        if "jupyterhub-hub-login" not in self.cookies:
            raise LearnerError("login: no session cookie (wrong password?)")
        # the page after the login gives the session's xsrf token, which the API asks for with a cookie
        self.check(await self.fetch("/hub/home", auth=False), "home page")
        r = await self.fetch(
            f"/hub/api/users/{self.name}/tokens",
            method="POST",
            body={"note": "load test", "expires_in": 3600},
            headers={"X-XSRFToken": self.cookies.get("_xsrf", "")},
            auth=False,
        )
        self.token = json.loads(self.check(r, "API token", (200, 201)).body)["token"]

    async def spawn(self) -> None:
        server = await self.server_model()
        if server and server.get("ready"):  # started before the class (--warm): the browser goes straight in
            self.spawn_requested = True
            return
        r = await self.fetch(f"/hub/api/users/{self.name}/server", method="POST", body={})
        self.check(r, "start server", (201, 202))
        self.spawn_requested = True
        if r.code == 202:
            events: list[dict] = []
            buf = bytearray()

            def on_chunk(chunk: bytes) -> None:
                buf.extend(chunk)
                while b"\n\n" in buf:
                    block, _, rest = bytes(buf).partition(b"\n\n")
                    buf[:] = rest
                    for line in block.decode("utf-8", "replace").splitlines():
                        if line.startswith("data:"):
                            events.append(json.loads(line[5:]))

            deadline = time.monotonic() + SPAWN_TIMEOUT_S
            progress = await self.fetch(
                f"/hub/api/users/{self.name}/server/progress",
                streaming_callback=on_chunk,
                request_timeout=SPAWN_TIMEOUT_S,
            )
            if events and events[-1].get("failed"):
                raise LearnerError(f"start server: {events[-1].get('message')}")
            if not (events and events[-1].get("ready")):
                # the progress stream broke off (HTTP {progress.code}): ask the hub until the server is up,
                # as JupyterHub's spawn-pending page does
                self.progress_broken = f"progress stream ended with HTTP {progress.code} before the server was ready"
                while time.monotonic() < deadline:
                    server = await self.server_model()
                    if not server or server.get("ready") or not server.get("pending"):
                        break
                    await asyncio.sleep(1)
        server = await self.server_model()
        if not (server and server.get("ready")):
            raise LearnerError(f"start server: not ready after {SPAWN_TIMEOUT_S} s ({server})")

    async def server_model(self) -> dict | None:
        model = json.loads(self.check(await self.fetch(f"/hub/api/users/{self.name}"), "user model").body)
        return model.get("servers", {}).get("")

    async def open(self, lesson: str) -> list[str]:
        base = f"/user/{self.name}"
        path = f"bolivia-lessons/{lesson}"
        r = await self.fetch(f"{base}/api/contents/{quote(path)}?type=notebook&content=1")
        nb = json.loads(self.check(r, f"open {lesson}").body)["content"]
        return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]

    async def start_kernel(self, lesson: str) -> Kernel:
        base = f"/user/{self.name}"
        body = {"path": f"bolivia-lessons/{lesson}", "name": lesson, "type": "notebook", "kernel": {"name": "python3"}}
        r = await self.fetch(f"{base}/api/sessions", method="POST", body=body)
        kernel_id = json.loads(self.check(r, f"kernel for {lesson}", (200, 201)).body)["kernel"]["id"]
        session = uuid.uuid4().hex
        url = f"ws://{HOST}:{self.hub.port}{base}/api/kernels/{kernel_id}/channels?session_id={session}"
        req = HTTPRequest(url, headers={"Authorization": f"token {self.token}"}, request_timeout=60)
        try:
            ws = await websocket_connect(req, max_message_size=256 * 2**20)
        except HTTPTimeoutError:
            raise LearnerError(f"kernel for {lesson}: the websocket did not connect within 60 s") from None
        kernel = Kernel(ws, session)
        await kernel.ready(timeout=120)
        return kernel

    async def change_explorer(self, kernel: Kernel) -> bool:
        """Change one control of the first explorer the lesson showed, as a browser would; False if none.

        The control is the explorer's first choice among options (a toggle, drop-down or radio buttons):
        its next option is selected through a widget comm message, and the redraw must bring a chart.
        """
        found = explorer_control(kernel.comms)
        if found is None:
            return False
        comm_id, state = found
        new = (int(state.get("index") or 0) + 1) % len(state["_options_labels"])
        content = {"comm_id": comm_id, "data": {"method": "update", "state": {"index": new}, "buffer_paths": []}}
        p = await kernel.request("comm_msg", content, timeout=CELL_TIMEOUT_S, want_reply=False)
        redraws = [
            m
            for m in p["msgs"]
            if m["msg_type"] == "comm_msg" and "outputs" in m["content"].get("data", {}).get("state", {})
        ]
        if not redraws:
            raise LearnerError("explorer: changing a control did not redraw the output")
        drawn = json.dumps(redraws[-1]["content"]["data"]["state"]["outputs"])
        if "bl-error" in drawn:
            raise LearnerError("explorer: the redraw shows an error")
        if "<svg" not in drawn and "<img" not in drawn:
            raise LearnerError("explorer: the redraw has no chart")
        return True

    async def stop(self) -> None:
        r = await self.fetch(f"/hub/api/users/{self.name}/server", method="DELETE")
        self.check(r, "stop server", (202, 204))
        deadline = time.monotonic() + 90
        while r.code == 202 and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            model = json.loads(self.check(await self.fetch(f"/hub/api/users/{self.name}"), "user model").body)
            if not model.get("servers"):
                return
        if r.code == 202:
            raise LearnerError("stop server: still running after 90 s")


async def learner_session(learner: Learner, bell: asyncio.Event, out: list[str], leave_together: bool) -> None:
    """Log in, start the server, run lessons 00 and 05, change the explorer, then leave (at the bell).

    Parameters
    ----------
    learner : Learner
        The learner; its ``result`` receives the times of each phase, or the error.
    bell : asyncio.Event
        Set when the whole class has finished: with ``leave_together``, learners stop their servers then.
    out : list of str
        Progress lines, printed by the caller.
    leave_together : bool
        Wait for the bell before stopping the server (else stop as soon as done).

    """
    r, t = learner.result, learner.result.times
    kernels: list[Kernel] = []
    start = time.monotonic()
    mark = start

    def lap(phase: str) -> None:
        nonlocal mark
        now = time.monotonic()
        t[phase] = t.get(phase, 0.0) + now - mark
        mark = now

    try:
        await learner.login()
        lap("login")
        await learner.spawn()
        lap("spawn")
        if learner.progress_broken:
            r.progress_broken = True
            out.append(f"  {r.name}: {learner.progress_broken}")
        for lesson in LESSONS:
            cells = await learner.open(lesson)
            lap(f"open {lesson[:2]}")
            kernel = await learner.start_kernel(lesson)
            kernels.append(kernel)
            lap(f"kernel {lesson[:2]}")
            first = time.monotonic()
            for i, code in enumerate(cells):
                await kernel.execute(code, f"{lesson} cell {i + 1}")
                if "tti" not in t:
                    lap("setup_cell")
                    t["tti"] = time.monotonic() - start
                    out.append(f"  {r.name} interactive after {t['tti']:.1f} s ({phases_text(t)})")
            r.run_all[lesson] = time.monotonic() - first
            mark = time.monotonic()
            if "explorer" not in t and await learner.change_explorer(kernel):
                lap("explorer")
        if "explorer" not in t:
            # neither lesson shows an explorer: open the election explorer in lesson 05's kernel, as its
            # extension exercise asks, and change that
            await kernel.execute('widgets.election_explorer(election_id="1956_general")', "election explorer")
            mark = time.monotonic()
            if not await learner.change_explorer(kernel):
                raise LearnerError("explorer: no explorer control found in the widget messages")
            lap("explorer")
        r.done = True
        runs = ", ".join(f"{k[:2]} {v:.1f} s" for k, v in r.run_all.items())
        out.append(f"  {r.name} done: run all {runs}; explorer redraw {t['explorer']:.2f} s")
    except asyncio.CancelledError:  # the deadline: the hub's shutdown stops the server
        r.error = r.error or "cancelled at the deadline"
        learner.spawn_requested = False
        raise
    except Exception as exc:  # every failure is counted and named, never lost
        r.error = f"{type(exc).__name__}: {exc}"
        out.append(f"  {r.name} FAILED: {r.error}")
    finally:
        for k in kernels:
            await k.close()
        if learner.spawn_requested:
            if leave_together and r.error is None:
                await bell.wait()
            mark = time.monotonic()
            try:
                await learner.stop()
                lap("stop")
            except Exception as exc:
                r.error = r.error or f"{type(exc).__name__}: {exc}"
                out.append(f"  {r.name} FAILED to leave: {r.error}")


def phases_text(t: dict[str, float]) -> str:
    return ", ".join(f"{k} {t[k]:.1f}" for k in ("login", "spawn", "open 00", "kernel 00", "setup_cell") if k in t)


# -- the class ----------------------------------------------------------------------------------------


async def run_class(args: argparse.Namespace, hub: Hub) -> tuple[list[Result], Monitor]:
    """Start the hub, let the learners arrive over the window, and return their results and the samples."""
    AsyncHTTPClient.configure(None, max_clients=4 * args.learners + 10)
    t0 = time.monotonic()
    say(f"starting JupyterHub on {hub.url} (folder {hub.tmp})")
    await hub.start()
    say(f"hub ready in {time.monotonic() - t0:.1f} s; {args.learners} learners arrive over {args.window:.0f} s")
    monitor = Monitor(hub)
    monitor.begin()
    sampler = asyncio.ensure_future(monitor.run())
    learners = [Learner(hub, f"learner{i + 1:02d}") for i in range(args.learners)]
    if args.warm:
        await warm_up(hub, [le.name for le in learners])
    bell, lines = asyncio.Event(), []
    start = time.monotonic()
    step = args.window / args.learners if args.learners > 1 else 0.0

    async def arrive(i: int, learner: Learner) -> None:
        await asyncio.sleep(i * step)
        lines.append(f"  {learner.name} arrives at {time.monotonic() - start:.1f} s")
        await learner_session(learner, bell, lines, args.leave == "together")

    tasks = [asyncio.ensure_future(arrive(i, le)) for i, le in enumerate(learners)]
    deadline = start + args.timeout
    try:
        while True:
            finished = [le.result.done or le.result.error is not None for le in learners]
            if all(finished):
                bell.set()
            if all(task.done() for task in tasks):
                break
            if time.monotonic() > deadline:
                say(f"deadline of {args.timeout:.0f} s reached: the learners still working count as failures")
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                break
            await asyncio.sleep(0.5)
            while lines:
                say(lines.pop(0))
            if monitor.last[0]:
                report_progress(learners, monitor, time.monotonic() - start)
        while lines:
            say(lines.pop(0))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        sampler.cancel()
    await asyncio.sleep(1)
    orphans = hub.orphans()
    if orphans:
        say(f"still running after every server stopped: {', '.join(orphans)}")
    for le in learners:
        if le.result.error is None and not le.result.done:
            le.result.error = "did not finish"
    return [le.result for le in learners], monitor


async def warm_up(hub: Hub, names: list[str], at_once: int = 2) -> None:
    """Create the learners and start their servers, two at a time, before anyone arrives."""
    client, t0 = AsyncHTTPClient(), time.monotonic()
    headers = {"Authorization": f"token {hub.admin_token}", "Content-Type": "application/json"}
    api = f"{hub.url}/hub/api/users"
    await client.fetch(api, method="POST", headers=headers, body=json.dumps({"usernames": names}))
    gate = asyncio.Semaphore(at_once)

    async def start(name: str) -> None:
        async with gate:
            r = await client.fetch(f"{api}/{name}/server", method="POST", headers=headers, body="{}", raise_error=False)
            deadline = time.monotonic() + SPAWN_TIMEOUT_S
            while r.code == 202 and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                model = json.loads((await client.fetch(f"{api}/{name}", headers=headers)).body)
                if model["servers"].get("", {}).get("ready"):
                    return
            if r.code not in (201, 202):
                raise RuntimeError(f"warm-up: starting {name}'s server: HTTP {r.code}")

    await asyncio.gather(*(start(n) for n in names))
    say(f"warm-up: {len(names)} servers started in {time.monotonic() - t0:.1f} s, before the class arrives")


_last_report = [-1]


def report_progress(learners: list[Learner], monitor: Monitor, elapsed: float) -> None:
    if int(elapsed) // 10 == _last_report[0]:
        return
    _last_report[0] = int(elapsed) // 10
    interactive = sum("tti" in le.result.times for le in learners)
    done = sum(le.result.done for le in learners)
    failed = sum(le.result.error is not None for le in learners)
    cpu = monitor.system_cpu[-20:]
    say(
        f"[{elapsed:5.0f} s] interactive {interactive}, done {done}, failed {failed} of {len(learners)}; "
        f"memory {monitor.last[0]:.0f} MB in the hub's processes ({monitor.last[1]} kernels); "
        f"CPU {sum(cpu) / max(len(cpu), 1):.0f}% of {psutil.cpu_count()} cores"
    )


def report(results: list[Result], monitor: Monitor, elapsed: float) -> tuple[list[float], list[float], int]:
    """Print the phases, CPU and memory; return the times to interactive, the run-all times and the failures."""
    ok = [r for r in results if r.error is None]
    say(f"\n{len(ok)} of {len(results)} learners finished without error in {elapsed:.0f} s")
    for r in results:
        if r.error:
            say(f"  failed: {r.name}: {r.error}")
    broken = sum(r.progress_broken for r in results)
    if broken:
        say(f"  {broken} learner(s) saw the hub's progress stream break off (a browser shows no progress)")
    say("per phase, seconds    p50     p95     max   (learners)")
    for phase in PHASES:
        values = [r.times[phase] for r in results if phase in r.times]
        if phase == "run_all":
            values = [v for r in results for v in r.run_all.values()]
        if values:
            say(
                f"  {phase:<17} {percentile(values, 0.5):7.2f} {percentile(values, 0.95):7.2f} "
                f"{max(values):7.2f}   ({len(values)})"
            )
    for lesson in LESSONS:
        values = [r.run_all[lesson] for r in results if lesson in r.run_all]
        if values:
            say(
                f"  run_all {lesson[:2]:<9} {percentile(values, 0.5):7.2f} {percentile(values, 0.95):7.2f} "
                f"{max(values):7.2f}   ({len(values)})"
            )
    cpu = monitor.cpu_by_kind()
    say(
        "CPU seconds by process kind: "
        + ", ".join(f"{k} {v:.0f}" for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]))
        + f" (total {sum(cpu.values()):.0f} on {psutil.cpu_count()} cores in {elapsed:.0f} s)"
    )
    machine, own, other = monitor.outside()
    say(
        f"machine CPU-seconds: {machine:.0f} in all, {own:.0f} for this load generator (the learners' browsers), "
        f"{max(other, 0):.0f} for processes outside the hub's tree"
        + (" (another workload shared the machine: the figures are pessimistic)" if other > 0.15 * machine else "")
    )
    busy = monitor.system_cpu
    if busy:
        saturated = sum(b >= 95 for b in busy) / len(busy)
        say(f"machine CPU: mean {sum(busy) / len(busy):.0f}%, saturated (>=95%) {saturated:.0%} of the samples")
    say(
        f"peak memory {monitor.peak_rss_mb:.0f} MB (RSS): "
        + ", ".join(
            f"{k} {v:.0f} MB ({monitor.peak_counts.get(k, 0)})"
            for k, v in sorted(monitor.peak_breakdown.items(), key=lambda kv: -kv[1])
        )
    )
    tti = [r.times["tti"] for r in ok if "tti" in r.times]
    run_all = [v for r in ok for v in r.run_all.values()]
    return tti, run_all, len(results) - len(ok)


def main(argv: list[str] | None = None) -> int:
    """Run the load test; return 0 if every learner finished, 1 if some failed, 2 if the run itself failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30, help="learners in the class (default 30)")
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which they arrive (default 60)")
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds before the run gives up (default: window + 600)"
    )
    parser.add_argument(
        "--leave",
        choices=("together", "when-done"),
        default="together",
        help="learners stop their servers when the whole class has finished (default) or each when done",
    )
    parser.add_argument(
        "--warm",
        action="store_true",
        help="start every learner's server before the class arrives (as a teacher can from the hub's admin page)",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the learners' servers and kernels (to measure a change; repeatable)",
    )
    parser.add_argument("--proxy-command", help="configurable-http-proxy to use (default: the hub config's choice)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and the hub log")
    args = parser.parse_args(argv)
    if args.learners < 1 or args.window < 0:
        parser.error("--learners must be 1 or more and --window 0 or more")
    if args.timeout is None:
        args.timeout = args.window + 600
    env = dict(item.split("=", 1) for item in args.server_env if "=" in item)
    hub = Hub(args.keep, args.proxy_command, env)
    atexit.register(hub.stop)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    main_task = loop.create_task(run_class(args, hub))
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, main_task.cancel)
    start = time.monotonic()
    status = 0
    try:
        results, monitor = loop.run_until_complete(main_task)
        tti, run_all, failures = report(results, monitor, time.monotonic() - start)
        if failures:
            say(f"hub log (last lines):\n{hub.log_tail(20)}")
        status = 1 if failures else 0
        line = summary_line(args.learners, tti, run_all, failures, monitor.peak_rss_mb)
    except asyncio.CancelledError:
        say("interrupted: every learner counts as failed")
        status, line = 130, summary_line(args.learners, [], [], args.learners, 0.0)
    except Exception as exc:
        say(f"load test failed: {type(exc).__name__}: {exc}")
        status, line = 2, summary_line(args.learners, [], [], args.learners, 0.0)
    finally:
        hub.stop()
        loop.close()
    say(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
