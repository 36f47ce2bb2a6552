"""The ``bolivia-lessons`` command.

Every message it prints comes from the word catalogue (``cli.*`` keys; the problems of
``validate`` are ``validate.*``), in English or Spanish: the language given with ``--lang``, else
the system's (Spanish when ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starts with ``es``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from .errors import DataError, os_reason, say
from .loaders import check
from .paths import data_dir
from .schema import DESCRIPTOR, read_package
from .text import LANGS, word

__all__ = ["main", "system_lang"]


def system_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language of the user's locale: ``"es"`` when it is Spanish, else ``"en"``.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides, as for any
    program's messages; ``es_BO.UTF-8``, ``es_ES`` or ``es`` mean Spanish.

    Examples
    --------
    >>> system_lang({"LANG": "es_BO.UTF-8"}), system_lang({"LC_ALL": "C", "LANG": "es_BO.UTF-8"})
    ('es', 'en')

    """
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "es" if value.startswith("es") else "en"
    return "en"


def _fail(args: argparse.Namespace, key: str, **fmt: object) -> None:
    """Say what went wrong, on stderr, after the command's name."""
    print(f"bolivia-lessons {args.command}: {word(key, args.msg_lang, **fmt)}", file=sys.stderr)


def _edition(args: argparse.Namespace) -> str:
    """The lessons' edition: the one asked for, else the user's language if the lessons exist in it, else English."""
    from .classroom import lesson_paths

    if args.lang is not None:
        return args.lang
    return args.msg_lang if lesson_paths(args.msg_lang) else "en"


def _validate(args: argparse.Namespace) -> int:
    from .paths import DATA_ENV

    lang, target = args.msg_lang, args.path
    try:
        if target is None or (target.is_dir() and (target / DESCRIPTOR).is_file()):
            root, extra = (target or data_dir()), None
            what = word("cli.validate.package", lang, root=root)
        else:
            root, extra = data_dir(), target
            what = word("cli.validate.merged", lang, target=target, root=root)
    except DataError as err:  # BOLIVIA_LESSONS_DATA names no data folder
        problems, what = err.problems, word("cli.validate.env", lang, variable=DATA_ENV)
    else:
        problems = check(root, extra)  # also the problems of a missing or broken datapackage.json
    if problems:
        key = "cli.validate.problem" if len(problems) == 1 else "cli.validate.problems"
        print(word(key, lang, count=len(problems), what=what))
        for p in problems:
            print(f"  - {p.message(lang)}")
        return 1
    package = read_package(root)
    print(word("cli.validate.ok", lang, what=what, tables=len(package.resources)))
    return 0


def _tables(args: argparse.Namespace) -> int:
    package = read_package(data_dir())
    width = max(len(n) for n in package.names)
    for r in package.resources:
        print(f"{r.name:<{width}}  {r.title}: {r.description}")
    return 0


#: Seconds a kernel with no open tab may sit idle before ``bolivia-lessons lab`` stops it.
KERNEL_IDLE = 600


def _lab(args: argparse.Namespace) -> int:
    from .classroom import copy_lessons, lesson_paths, lesson_title

    lang, edition = args.msg_lang, _edition(args)
    report = copy_lessons(args.folder, "teacher" if args.teacher else "student", edition, update=args.update)
    print("\n".join(report.lines(lang)))
    print(word("cli.lab.lessons", lang))
    for path in lesson_paths(edition):
        print(f"  {path.name}  {lesson_title(path)}")
    if args.copy_only:
        return 1 if report.blocked else 0
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={args.folder.resolve()}",
        # classroom machines are often offline: do not fetch JupyterLab's news or look for updates
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        # a lesson whose tab was closed leaves its kernel running (JupyterLab keeps it for a tab
        # opened again): stop kernels with no tab open after KERNEL_IDLE seconds without work;
        # an open lesson's kernel is never stopped (cull_connected stays False)
        f"--MappingKernelManager.cull_idle_timeout={KERNEL_IDLE}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]
    if args.port is not None:
        cmd.append(f"--ServerApp.port={args.port}")
    if args.no_browser:
        cmd.append("--no-browser")
    if report.present:
        cmd.append(str(args.folder.resolve() / report.present[0]))
    # a setting given on the command line replaces ours (JupyterLab refuses a setting given twice)
    given = {a.split("=", 1)[0] for a in args.jupyter_args}
    cmd = [c for c in cmd if c.split("=", 1)[0] not in given]
    return subprocess.call(cmd + args.jupyter_args)


def _export(args: argparse.Namespace) -> int:
    from .classroom import copy_lessons

    lang = args.msg_lang
    if args.student is None and args.teacher is None:
        _fail(args, "cli.export.nothing")
        return 2
    edition = _edition(args)
    status = 0
    for audience in ("student", "teacher"):
        folder = getattr(args, audience)
        if folder is None:
            continue
        report = copy_lessons(folder, audience, edition)
        print(word(f"cli.export.copy.{audience}", lang) + " " + "\n".join(report.lines(lang)))
        if report.kept_changed or report.kept_unchanged or report.outdated:
            print("  " + word("cli.export.kept", lang))
        if report.kept_changed or report.blocked:
            status = 1
    return status


def _html(args: argparse.Namespace) -> int:
    from .classroom import export_html, export_packets, lesson_paths, lesson_title

    lang, edition = args.msg_lang, _edition(args)
    titles = {p.stem: lesson_title(p) for p in lesson_paths(edition)}
    titles |= {f"{stem}_packet": title for stem, title in titles.items()}
    if args.packet:
        report = export_packets(args.folder, edition)
    else:
        report = export_html(args.folder, "teacher" if args.teacher else "student", edition)
    print(word("cli.html.wrote", lang, count=len(report.written), folder=args.folder))
    for page in report.written:
        print(f"  {page.name}  {titles.get(page.stem, '')}")
    for line in report.refused:
        print("  " + word("cli.html.refused", lang, reason=say(line, lang)))
    if report.refused:
        print(word("cli.html.choose", lang))
        return 1
    return 0


def _guide(args: argparse.Namespace) -> int:
    from .build import teachers_guide

    lang = args.msg_lang
    text = teachers_guide(args.lang or lang)
    if args.file is None:
        print(text)
        return 0
    if args.file.is_dir():
        _fail(args, "cli.guide.is_folder", file=args.file)
        return 2
    if args.file.exists() and not _is_generated_guide(args.file):
        # never overwrite a file someone wrote (a notebook, notes): only an earlier guide is replaced
        _fail(args, "cli.guide.not_a_guide", file=args.file)
        return 2
    try:
        args.file.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(args, "cli.guide.cannot_write", file=args.file, reason=say(os_reason(exc), lang))
        return 2
    print(word("cli.guide.wrote", lang, file=args.file))
    return 0


def _is_generated_guide(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return "bolivia-lessons build" in head and "<!--" in head


#: How the build reports each lesson ("[ 3/11] en/03_dual_power: stale (4.1 s)"), and what
#: differs in a stale notebook: the words are the build's; these say them in the user's language.
def _progress(lang: str, done: int, total: int, result: Any) -> None:
    status = word(f"cli.build.status.{result.status}", lang)
    print(f"[{done:>2}/{total}] {result.name}: {status} ({result.seconds:.1f} s)", flush=True)


def _build(args: argparse.Namespace) -> int:
    from .build import BuildError, build, guide_path, lesson_sources, teachers_guide

    lang, root = args.msg_lang, args.notebooks
    if root is not None and not (root / "src").is_dir():
        _fail(args, "cli.build.no_sources", folder=root)
        return 2
    langs = [e for e in (LANGS if args.lang == "all" else (args.lang,)) if lesson_sources(e, root)]
    key = "cli.build.checking" if args.check else "cli.build.building"
    print(word(key, lang, langs=", ".join(langs)), flush=True)
    start = time.perf_counter()
    try:
        results = build(
            args.lessons or None,
            langs=langs,
            root=root,
            check=args.check,
            jobs=args.jobs,
            progress=functools.partial(_progress, lang),
        )
    except BuildError as exc:
        print(f"bolivia-lessons build: {exc}", file=sys.stderr)
        return 2
    stale = [r for r in results if r.status == "stale"]
    failed = [r for r in results if r.status == "failed"]
    for edition in langs:
        path, text = guide_path(edition, root), teachers_guide(edition, root)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            print(word("cli.build.stale_guide", lang, path=path))
            stale.append(None)
        else:
            path.write_text(text, encoding="utf-8")
            print(word("cli.build.wrote", lang, path=path))
    for r in failed:
        print("\n" + word("cli.build.failed", lang, name=r.name) + f"\n{r.error}", file=sys.stderr)
    if failed:
        print(word("cli.build.failures", lang, count=len(failed)), file=sys.stderr)
        return 1
    seconds = f"{time.perf_counter() - start:.0f}"
    if args.check and stale:
        named = [r for r in stale if r is not None]
        print("\n" + word("cli.build.stale", lang, count=len(stale)))
        for r in named:
            what = say(r.difference, lang)
            print(
                "  " + word("cli.build.differs", lang, target=r.target, name=r.name, source=r.source, difference=what)
            )
        lessons = " ".join(sorted({f"{r.lesson_id:02d}" for r in named}))
        edition = "all" if len({r.lang for r in named}) > 1 else (named[0].lang if named else args.lang)
        fix = f"bolivia-lessons build {lessons} --lang {edition}".replace("  ", " ")
        print(word("cli.build.fix", lang, command=fix))
        return 1
    changed = sum(r.status in ("new", "updated") for r in results)
    if args.check:
        print(word("cli.build.all_match", lang, count=len(results), seconds=seconds))
    else:
        print(word("cli.build.built", lang, count=len(results), seconds=seconds, changed=changed))
        print(word("cli.build.review", lang))
    return 0


def _present(args: argparse.Namespace) -> int:
    from .classroom import find_lesson, for_audience, lesson_title, read_notebook

    lang = args.msg_lang
    try:
        lesson = find_lesson(args.lesson, _edition(args))
    except ValueError as exc:
        print(f"bolivia-lessons present: {say(exc.args[0], lang)}", file=sys.stderr)
        return 2
    problems = check()
    if problems:
        # a projector showing "error when executing cell" helps nobody: say what is wrong, here
        _fail(args, "cli.present.problems", count=len(problems))
        for p in problems[:20]:
            print(f"  - {p.message(lang)}", file=sys.stderr)
        print(word("cli.present.fix", lang), file=sys.stderr)
        return 1
    if not _port_free(args.port):
        _fail(args, "cli.present.port_in_use", port=args.port, other=args.port + 1 if args.port < 65535 else 8866)
        return 2
    # the class sees the student copy: code hidden by Voila, teacher notes left out
    with tempfile.TemporaryDirectory(prefix="bolivia-lessons-") as tmp:
        page = Path(tmp) / lesson.name
        page.write_text(json.dumps(for_audience(read_notebook(lesson), "student")), encoding="utf-8")
        cmd = [
            sys.executable,
            "-m",
            "voila",
            page.name,
            "--Voila.ip=127.0.0.1",
            f"--port={args.port}",
            # the banner names the port Voila serves on: never move to another one silently
            "--Voila.port_retries=0",
            # the package's own page template: large type for a projector, nothing from a CDN
            "--template=bolivia",
        ]
        if args.no_browser:
            cmd.append("--no-browser")
        print(
            word("cli.present.presenting", lang, title=lesson_title(lesson), name=lesson.name, port=args.port),
            flush=True,
        )
        share = Path(str(resources.files("bolivia_lessons") / "share"))
        jupyter_path = os.pathsep.join(p for p in (str(share), os.environ.get("JUPYTER_PATH", "")) if p)
        env = os.environ | {"MPLBACKEND": "Agg", "JUPYTER_PATH": jupyter_path}
        return _run_until_stopped(cmd, cwd=tmp, env=env)


def _port_free(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _run_until_stopped(cmd: list[str], *, cwd: str, env: dict[str, str]) -> int:
    """Run a server in its own process group and stop all of it (kernels too) on Ctrl+C or SIGTERM."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, start_new_session=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)


def _port(text: str, lang: str = "en") -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(word("cli.args.port_number", lang, text=repr(text))) from None
    if not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(word("cli.args.port_range", lang, value=value))
    return value


def _positive(text: str, lang: str = "en") -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(word("cli.args.whole_number", lang, text=repr(text))) from None
    if value < 1:
        raise argparse.ArgumentTypeError(word("cli.args.positive", lang, value=value))
    return value


#: argparse's own error messages (Python 3.10 to 3.13), to say them in the user's language.
_ARGPARSE_ERRORS = (
    (re.compile(r"argument (?P<name>\S+): (?P<message>.*)", re.S), "cli.args.argument"),
    (re.compile(r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)", re.S), "cli.args.invalid_choice"),
    (re.compile(r"the following arguments are required: (?P<names>.*)", re.S), "cli.args.required"),
    (re.compile(r"expected one argument"), "cli.args.one_argument"),
    (re.compile(r"invalid (?P<type>\S+) value: (?P<value>.*)", re.S), "cli.args.invalid_value"),
)


def _argparse_error(message: str, lang: str) -> str:
    """One of argparse's error messages in ``lang`` (unchanged if it is not one of those above)."""
    for pattern, key in _ARGPARSE_ERRORS:
        m = pattern.fullmatch(message)
        if m:
            parts = m.groupdict()
            if "message" in parts:
                parts["message"] = _argparse_error(parts["message"], lang)
            return word(key, lang, **parts)
    return message


class _Parser(argparse.ArgumentParser):
    """An argument parser whose help and errors are in one language."""

    def __init__(self, *args: Any, lang: str = "en", **kwargs: Any) -> None:
        base = kwargs.pop("formatter_class", argparse.HelpFormatter)
        kwargs["formatter_class"] = _formatter(base, lang)
        super().__init__(*args, add_help=False, **kwargs)
        self.lang = lang
        self._positionals.title = word("cli.args.positionals", lang)
        self._optionals.title = word("cli.args.options", lang)
        self.add_argument("-h", "--help", action="help", help=word("cli.args.help", lang))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {word('cli.args.error', self.lang)}: {_argparse_error(message, self.lang)}\n")


@functools.cache
def _formatter(base: type[argparse.HelpFormatter], lang: str) -> type[argparse.HelpFormatter]:
    class Formatter(base):  # type: ignore[valid-type,misc]
        def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
            super().add_usage(usage, actions, groups, word("cli.args.usage", lang) + " " if prefix is None else prefix)

    return Formatter


def _parser(lang: str) -> argparse.ArgumentParser:
    """The command line, its help in ``lang``."""

    def w(key: str) -> str:
        return word(key, lang)

    raw = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog="bolivia-lessons", description=w("cli.help.description"), lang=lang)
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, run: Any, **texts: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, lang=lang, formatter_class=raw, **texts)
        p.set_defaults(run=run)
        return p

    v = command(
        "validate",
        _validate,
        help=w("cli.help.validate"),
        description=w("cli.help.validate.description"),
        epilog=w("cli.help.validate.epilog"),
    )
    v.add_argument("path", nargs="?", type=Path, help=w("cli.help.validate.path"))
    v.add_argument("--lang", choices=LANGS, help=w("cli.help.lang.messages"))
    t = command(
        "tables",
        _tables,
        help=w("cli.help.tables"),
        description=w("cli.help.tables.description"),
        epilog=w("cli.help.tables.epilog"),
    )
    t.add_argument("--lang", choices=LANGS, help=w("cli.help.lang.messages"))

    lab = command(
        "lab",
        _lab,
        help=w("cli.help.lab"),
        description=w("cli.help.lab.description"),
        epilog=w("cli.help.lab.epilog"),
    )
    lab.add_argument("folder", nargs="?", type=Path, default=Path("bolivia-lessons"), help=w("cli.help.lab.folder"))
    lab.add_argument("--teacher", action="store_true", help=w("cli.help.lab.teacher"))
    lab.add_argument("--copy-only", action="store_true", help=w("cli.help.lab.copy_only"))
    lab.add_argument("--lang", choices=LANGS, help=w("cli.help.lang.edition"))
    lab.add_argument("--update", action="store_true", help=w("cli.help.lab.update"))
    lab.add_argument("--port", type=functools.partial(_port, lang=lang), help=w("cli.help.lab.port"))
    lab.add_argument("--no-browser", action="store_true", help=w("cli.help.no_browser"))

    ex = command(
        "export",
        _export,
        help=w("cli.help.export"),
        description=w("cli.help.export.description"),
        epilog=w("cli.help.export.epilog"),
    )
    ex.add_argument("--student", type=Path, metavar="DIR", help=w("cli.help.export.student"))
    ex.add_argument("--teacher", type=Path, metavar="DIR", help=w("cli.help.export.teacher"))
    ex.add_argument("--lang", choices=LANGS, help=w("cli.help.lang.edition"))

    ht = command(
        "html",
        _html,
        help=w("cli.help.html"),
        description=w("cli.help.html.description"),
        epilog=w("cli.help.html.epilog"),
    )
    ht.add_argument("folder", type=Path, help=w("cli.help.html.folder"))
    ht.add_argument("--teacher", action="store_true", help=w("cli.help.html.teacher"))
    ht.add_argument("--lang", choices=LANGS, help=w("cli.help.lang.edition"))
    ht.add_argument("--packet", action="store_true", help=w("cli.help.html.packet"))

    pr = command(
        "present",
        _present,
        help=w("cli.help.present"),
        description=w("cli.help.present.description"),
        epilog=w("cli.help.present.epilog"),
    )
    pr.add_argument("lesson", help=w("cli.help.present.lesson"))
    pr.add_argument("--port", type=functools.partial(_port, lang=lang), default=8866, help=w("cli.help.present.port"))
    pr.add_argument("--no-browser", action="store_true", help=w("cli.help.no_browser"))
    pr.add_argument("--lang", choices=LANGS, help=w("cli.help.lang.edition"))

    gd = command(
        "guide",
        _guide,
        help=w("cli.help.guide"),
        description=w("cli.help.guide.description"),
        epilog=w("cli.help.guide.epilog"),
    )
    gd.add_argument("file", nargs="?", type=Path, help=w("cli.help.guide.file"))
    gd.add_argument("--lang", choices=LANGS, help=w("cli.help.guide.lang"))

    bd = command(
        "build",
        _build,
        help=w("cli.help.build"),
        description=w("cli.help.build.description"),
        epilog=w("cli.help.build.epilog"),
    )
    bd.add_argument("lessons", nargs="*", metavar="NN", help=w("cli.help.build.lessons"))
    bd.add_argument("--lang", choices=[*LANGS, "all"], default="all", help=w("cli.help.build.lang"))
    bd.add_argument("--check", action="store_true", help=w("cli.help.build.check"))
    bd.add_argument("--jobs", type=functools.partial(_positive, lang=lang), default=None, help=w("cli.help.build.jobs"))
    bd.add_argument("--notebooks", type=Path, metavar="DIR", help=w("cli.help.build.notebooks"))
    return parser


def _asked_lang(argv: Sequence[str]) -> str | None:
    """The language named by ``--lang`` on the command line, before it is parsed (for the help)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGS:
            return value
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name (``sys.argv[1:]`` by default).

    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(_asked_lang(argv) or system_lang())
    args, rest = parser.parse_known_args(argv)
    # the language of the messages: the one asked for, else the user's (build --lang all: the user's)
    args.msg_lang = args.lang if args.lang in LANGS else system_lang()
    # only JupyterLab's own settings (--Class.trait=value) pass through; anything else is a mistake
    # to name, not a folder to create (`lab --port 8899` once made a folder called 8899)
    stray = [a for a in rest if args.command != "lab" or not re.fullmatch(r"--[A-Za-z]\w*\.\w+=.*", a)]
    if stray:
        parser.error(word("cli.args.unrecognized", args.msg_lang, arguments=" ".join(stray)))
    args.jupyter_args = rest
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except DataError as exc:
        _fail(args, "cli.data_problems", problems=exc.report(args.msg_lang))
        print(word("cli.check_it", args.msg_lang), file=sys.stderr)
        return 1
    except OSError as exc:  # a path that is a file, a read-only folder, a full disk, data that is not there
        if exc.errno is None:  # raised with a sentence of ours, which already says what is wrong
            said = say(exc.args[0], args.msg_lang) if len(exc.args) == 1 else exc
            print(f"bolivia-lessons {args.command}: {said}", file=sys.stderr)
        elif exc.filename:
            _fail(args, "cli.cannot_use_file", file=exc.filename, reason=say(os_reason(exc), args.msg_lang))
        else:
            _fail(args, "cli.cannot_use", reason=say(os_reason(exc), args.msg_lang))
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
