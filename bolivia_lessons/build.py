"""Build the lesson notebooks from their text sources, reproducibly.

Authors write each lesson as MyST Markdown (jupytext's ``md:myst`` format), one file per
language: ``notebooks/src/en/05_election_1956.md``. The build turns a source into the notebook
learners open, ``notebooks/en/05_election_1956.ipynb``:

1. it reads the source with jupytext and puts the lesson's title cell first, written from the
   ``lessons`` and ``lesson_objectives`` tables (title, time, prerequisites, objectives and
   guiding question are written once, in the data, and nowhere else);
2. it gives every cell an id derived from its own text, so editing one sentence changes one
   cell of the built notebook and inserting a cell changes no other cell's id;
3. it runs the notebook in a fresh kernel and stores the outputs, then removes what would differ
   between runs or machines: widget state and model ids (an explorer keeps a one-line text
   output that tells a learner to run the cell), timings, the Python version;
4. it writes the notebook with fixed formatting, so the same source, data and library give the
   same bytes on every run.

``check`` builds in memory and compares with the committed notebooks; a test runs it, so CI fails
on a notebook that no longer matches its source.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Phrase
from .notebook import escape_markdown as _md
from .paths import DATA_ENV, EXTRA_ENV, notebooks_dir
from .text import LANGS, check_lang, date_text, localized, word

__all__ = [
    "BuildError",
    "BuildResult",
    "build",
    "build_notebook",
    "convert",
    "guide_path",
    "header_markdown",
    "lesson_sources",
    "notebook_path",
    "teachers_guide",
]

#: The kernel every lesson runs in, written into every notebook as it is (no machine details).
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
#: The output a widget leaves in a notebook that only a live kernel can show; the build drops it.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: A memory address in an output would make every build differ; the build refuses it.
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,16}\b")
_SOURCE_NAME = re.compile(r"^(\d\d)_([a-z0-9_]+)\.md$")
HEADER_ID = "lesson-header"


class BuildError(Exception):
    """A lesson source that cannot be built: the message names the file and what to fix."""


@dataclass
class BuildResult:
    """What building one lesson gave, and how it compares with the committed notebook."""

    lang: str
    lesson_id: int
    source: Path
    target: Path
    text: str = ""
    status: str = ""  # "unchanged", "updated", "new" or "stale"
    seconds: float = 0.0
    difference: str = ""  # a Phrase: which cell differs first, sayable in any language
    error: str = ""
    cells: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The lesson as a person names it: ``en/05_election_1956``."""
        return f"{self.lang}/{self.target.stem}"


# -- sources --------------------------------------------------------------------------------------


def lesson_sources(lang: str = "en", root: Path | None = None) -> list[Path]:
    """The text sources of every lesson in ``lang``, in lesson order.

    Parameters
    ----------
    lang : {"en", "es"}
        The edition.
    root : pathlib.Path, optional
        The ``notebooks/`` folder; the checkout's (or the installed package's) by default.

    Returns
    -------
    list of pathlib.Path

    """
    folder = (root or notebooks_dir()) / "src" / check_lang(lang)
    return sorted(folder.glob("[0-9][0-9]_*.md"))


def notebook_path(source: Path, root: Path | None = None) -> Path:
    """Where the notebook built from ``source`` goes: ``notebooks/<lang>/NN_slug.ipynb``."""
    lang = source.parent.name
    return (root or source.parents[2]) / lang / f"{source.stem}.ipynb"


#: The teacher's guide of each edition, named in the edition's language.
GUIDE_NAMES = {"en": "TEACHERS_GUIDE.md", "es": "GUIA_DOCENTE.md"}


def guide_path(lang: str = "en", root: Path | None = None) -> Path:
    """Where the teacher's guide in ``lang`` goes: ``en/TEACHERS_GUIDE.md`` or ``es/GUIA_DOCENTE.md``."""
    return (root or notebooks_dir()) / check_lang(lang) / GUIDE_NAMES[lang]


def _lesson_row(lesson_id: int) -> Any:
    from .loaders import load_lessons

    lessons = load_lessons().set_index("lesson_id")
    if lesson_id not in lessons.index:
        raise BuildError(f"lesson {lesson_id:02d} is not in the lessons table (data/lessons.csv): add a row for it")
    return lessons.loc[lesson_id]


def _objectives(lesson_id: int, lang: str) -> list[str]:
    from .loaders import load_lesson_objectives

    rows = load_lesson_objectives()
    rows = rows[rows.lesson_id == lesson_id].sort_values("objective_no")
    return [str(t) for t in rows[f"objective_{lang}"]]


def header_markdown(lesson_id: int, lang: str = "en") -> str:
    """The title cell of a lesson: number and title, time, prerequisites, objectives, guiding question.

    Written from the ``lessons`` and ``lesson_objectives`` tables, so that the notebook, the
    teacher's guide and the classroom commands cannot disagree.

    Parameters
    ----------
    lesson_id : int
        A ``lessons.lesson_id``.
    lang : {"en", "es"}
        The edition.

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> print(header_markdown(5).splitlines()[0])
    # Lesson 5 · The 1956 election: counting a new electorate

    """
    check_lang(lang)
    row = _lesson_row(lesson_id)
    objectives = _objectives(lesson_id, lang)
    lines = [
        f"# {word('lesson.number', lang, n=lesson_id)} · {_md(row[f'title_{lang}'])}",
        "",
        f"**{word('lesson.time', lang)}** {word('lesson.minutes', lang, n=int(row.minutes))} · "
        f"**{word('lesson.before', lang)}** {_md(row[f'before_{lang}'])}",
        "",
        f"## {word('lesson.objectives', lang)}",
        word("lesson.objectives_intro", lang),
        *(f"{i}. {_md(text)}" for i, text in enumerate(objectives, 1)),
        "",
        f"## {word('lesson.question', lang)}",
        f"> **{_md(row[f'question_{lang}'])}**",
    ]
    return "\n".join(lines)


def _cell_id(cell_type: str, source: str, seen: dict[str, int]) -> str:
    # An id from the cell's own text: stable when other cells change, new when this one does.
    digest = hashlib.sha256(f"{cell_type}\n{source}".encode()).hexdigest()[:10]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def convert(source: Path) -> Any:
    """Read a lesson source into a notebook without outputs, title cell first, with stable cell ids.

    Parameters
    ----------
    source : pathlib.Path
        ``notebooks/src/<lang>/NN_slug.md``.

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    BuildError
        If the file name, the lesson number or slug, or the MyST text is wrong.

    """
    import jupytext
    import nbformat

    lang = source.parent.name
    if lang not in LANGS:
        raise BuildError(f"{source}: lesson sources live in src/<language>/ with language one of {', '.join(LANGS)}")
    match = _SOURCE_NAME.match(source.name)
    if not match:
        raise BuildError(f"{source}: a lesson source is named NN_slug.md (two digits, lower-case slug)")
    lesson_id, slug = int(match.group(1)), match.group(2)
    row = _lesson_row(lesson_id)
    if row.slug != slug:
        raise BuildError(
            f"{source}: lesson {lesson_id:02d} has the slug '{row.slug}' in data/lessons.csv, not '{slug}'"
        )
    try:
        nb = jupytext.reads(source.read_text(encoding="utf-8"), fmt="md:myst")
    except Exception as exc:  # jupytext raises many kinds; all mean "fix the source"
        raise BuildError(f"{source}: not readable as MyST Markdown: {exc}") from exc
    header = nbformat.v4.new_markdown_cell(header_markdown(lesson_id, lang))
    cells = [header]
    for cell in nb.cells:
        tags = list(cell.metadata.get("tags", []))
        text = cell.source.strip("\n")
        if not text:
            continue
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(text)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(text)
        else:
            new = nbformat.v4.new_raw_cell(text)
        if tags:
            new.metadata["tags"] = tags
        cells.append(new)
    seen: dict[str, int] = {}
    for cell in cells:
        cell.id = _cell_id(cell.cell_type, cell.source, seen)
    cells[0].id = HEADER_ID
    out = nbformat.v4.new_notebook(cells=cells)
    out.nbformat, out.nbformat_minor = 4, 5
    out.metadata = _metadata(lesson_id, lang, row, source.name)
    return out


def _metadata(lesson_id: int, lang: str, row: Any, source_name: str) -> dict[str, Any]:
    return {
        "kernelspec": dict(KERNELSPEC),
        "language_info": dict(LANGUAGE_INFO),
        "title": f"{word('lesson.number', lang, n=lesson_id)} · {row[f'title_{lang}']}",
        "bolivia_lessons": {
            "lesson_id": lesson_id,
            "lang": lang,
            "minutes": int(row.minutes),
            "source": f"src/{lang}/{source_name}",
        },
    }


# -- execution ------------------------------------------------------------------------------------


def _kernel_env() -> dict[str, str]:
    # Lessons are built from the shipped data only: a developer's extra or replacement data must
    # not end up in the committed outputs.
    env = {k: v for k, v in os.environ.items() if k not in (DATA_ENV, EXTRA_ENV, "MPLBACKEND")}
    env["PYTHONHASHSEED"] = "0"
    return env


def _execute(nb: Any, cwd: Path, name: str) -> Any:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        # the kernel's own log lines (a transport warning at start) are not the lesson's output
        client.execute(env=_kernel_env(), stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        raise BuildError(f"{name}: a cell failed while running:\n{exc}") from None
    return nb


def _tidy_outputs(nb: Any, name: str) -> None:
    """Keep what every run gives alike; refuse what a learner should never see."""
    import nbformat

    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        outputs = []
        for out in cell.outputs:
            if out.output_type == "stream":
                if out.name == "stderr":
                    raise BuildError(
                        f"{name}, cell {cell.id}: the cell wrote to stderr (a learner would see it):\n{out.text[:500]}"
                    )
                if outputs and outputs[-1].output_type == "stream" and outputs[-1].name == out.name:
                    outputs[-1].text += out.text  # a print can arrive in one piece or several
                    continue
            if out.output_type in ("display_data", "execute_result"):
                out.data.pop(WIDGET_VIEW, None)
                out.pop("transient", None)
                if not out.data:
                    continue
            outputs.append(out)
        cell.outputs = outputs
        text = nbformat.writes(nbformat.v4.new_notebook(cells=[cell]))
        if _ADDRESS.search(text):
            raise BuildError(
                f"{name}, cell {cell.id}: an output shows a memory address, which changes on every "
                "run; end the cell with plt.show() or show(), or make the value's repr readable"
            )


def _render(nb: Any) -> str:
    import nbformat

    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def build_notebook(source: Path, *, execute: bool = True) -> str:
    """The text of the notebook built from ``source`` (run, with outputs, unless ``execute=False``).

    Parameters
    ----------
    source : pathlib.Path
        A lesson source, ``notebooks/src/<lang>/NN_slug.md``.
    execute : bool
        Run the cells and store their outputs.

    Returns
    -------
    str
        The notebook as it is written to disk.

    """
    nb = convert(source)
    name = f"{source.parent.name}/{source.stem}"
    if execute:
        target = notebook_path(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        _execute(nb, target.parent, name)
        nb.metadata = _metadata(
            nb.metadata["bolivia_lessons"]["lesson_id"],
            source.parent.name,
            _lesson_row(nb.metadata["bolivia_lessons"]["lesson_id"]),
            source.name,
        )
        _tidy_outputs(nb, name)
    return _render(nb)


def _build_one(source: Path) -> tuple[str, float, str]:
    start = time.perf_counter()
    try:
        return build_notebook(source), time.perf_counter() - start, ""
    except BuildError as exc:
        return "", time.perf_counter() - start, str(exc)


def _first_difference(old: str, new: str) -> Phrase:
    """Which cell of a stale notebook differs first, in words a maintainer can act on."""
    import nbformat

    try:
        a, b = nbformat.reads(old, as_version=4), nbformat.reads(new, as_version=4)
    except Exception:  # the committed file is not even a notebook
        return Phrase("cli.build.diff.unreadable")
    if a.metadata != b.metadata:
        return Phrase("cli.build.diff.metadata")
    for i, (x, y) in enumerate(zip(a.cells, b.cells), start=1):
        if x.get("source") != y.get("source") or x.cell_type != y.cell_type:
            return Phrase("cli.build.diff.cell_text", n1=i)
        if x.get("outputs") != y.get("outputs"):
            return Phrase("cli.build.diff.cell_outputs", n1=i)
        if x != y:
            return Phrase("cli.build.diff.cell_metadata", n1=i)
    if len(a.cells) != len(b.cells):
        return Phrase("cli.build.diff.cells", n1=len(a.cells), n2=len(b.cells))
    return Phrase("cli.build.diff.formatting")


def build(
    lessons: Iterable[int | str] | None = None,
    *,
    langs: Sequence[str] = LANGS,
    root: Path | None = None,
    check: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int, BuildResult], None] | None = None,
) -> list[BuildResult]:
    """Build (or, with ``check``, compare) the notebooks of the given lessons in the given languages.

    Parameters
    ----------
    lessons : iterable of int or str, optional
        Lesson numbers (``5`` or ``"05"``); every lesson when omitted.
    langs : sequence of str
        The editions to build; every edition that has sources when omitted.
    root : pathlib.Path, optional
        The ``notebooks/`` folder.
    check : bool
        Write nothing; mark each notebook that differs from what its source builds as ``stale``.
    jobs : int, optional
        Lessons run in parallel, one kernel each (default: the number of CPUs, at most 4).
    progress : callable, optional
        Called as each lesson finishes, with how many are done, how many in all, and its result.

    Returns
    -------
    list of BuildResult
        In lesson order; ``error`` is set for a lesson that could not be built.

    """
    root = root or notebooks_dir()
    try:
        wanted = None if lessons is None else {int(n) for n in lessons}
    except ValueError:
        raise BuildError(f"lesson numbers are whole numbers such as 05, not {list(lessons)!r}") from None
    sources = [s for lang in langs for s in lesson_sources(lang, root) if wanted is None or int(s.name[:2]) in wanted]
    if wanted:
        found = {int(s.name[:2]) for s in sources}
        missing = sorted(wanted - found)
        if missing:
            raise BuildError("no source for lesson " + ", ".join(f"{n:02d}" for n in missing) + f" in {root / 'src'}")
    results = {s: BuildResult(s.parent.name, int(s.name[:2]), s, notebook_path(s, root)) for s in sources}
    jobs = jobs or min(os.cpu_count() or 1, 4)
    say = progress or (lambda done, total, result: None)
    total, done = len(sources), 0

    def finish(source: Path, text: str, seconds: float, error: str) -> None:
        nonlocal done
        done += 1
        r = results[source]
        r.text, r.seconds, r.error = text, seconds, error
        if error:
            r.status = "failed"
        else:
            old = r.target.read_text(encoding="utf-8") if r.target.is_file() else None
            if old == text:
                r.status = "unchanged"
            elif check:
                r.status = "stale"
                r.difference = Phrase("cli.build.diff.missing") if old is None else _first_difference(old, text)
            else:
                r.status = "new" if old is None else "updated"
                r.target.parent.mkdir(parents=True, exist_ok=True)
                r.target.write_text(text, encoding="utf-8")
        say(done, total, r)

    if jobs <= 1 or len(sources) <= 1:
        for s in sources:
            finish(s, *_build_one(s))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_build_one, s): s for s in sources}
            for future in as_completed(futures):
                finish(futures[future], *future.result())
    return [results[s] for s in sources]


# -- teacher's guide ------------------------------------------------------------------------------


def _shown_documents(notebook: Path) -> set[str]:
    """The documents a built lesson really shows (its document cards), or none if it is not built yet."""
    if not notebook.is_file():
        return set()
    return set(re.findall(r'data-document=\\?"([a-z0-9_]+)', notebook.read_text(encoding="utf-8")))


def teachers_guide(lang: str = "en", root: Path | None = None) -> str:
    """The teacher's guide (Markdown), written from the lesson tables, the documents and the self-checks.

    Parameters
    ----------
    lang : {"en", "es"}
        The edition.
    root : pathlib.Path, optional
        The ``notebooks/`` folder whose built lessons say which documents each one shows.

    Returns
    -------
    str

    """
    from .loaders import load_documents, load_lesson_objectives, load_lessons, load_quiz_questions

    check_lang(lang)
    lessons = load_lessons().sort_values("lesson_id")
    objectives = load_lesson_objectives()
    documents = load_documents().sort_values(["date", "document_id"], key=lambda c: c.astype(str))
    quiz = load_quiz_questions()
    heads = [word(k, lang) for k in ("guide.col_lesson", "guide.col_time", "guide.col_before", "guide.col_question")]
    out = [
        "# " + word("guide.title", lang),
        "",
        "<!-- " + word("guide.generated", lang) + " -->",
        "",
        word("guide.intro", lang, n=len(lessons)),
        "",
        "| " + " | ".join(heads) + " |",
        "|---|---|---|---|",
    ]
    for r in lessons.itertuples():
        title, before, question = (_md(getattr(r, f"{k}_{lang}")) for k in ("title", "before", "question"))
        minutes = word("lesson.minutes", lang, n=r.minutes)
        out.append(f"| {r.lesson_id:02d} {title} | {minutes} | {before} | {question} |")
    out += ["", word("guide.total", lang, n=int(lessons.minutes.sum())), ""]
    for r in lessons.itertuples():
        minutes = word("lesson.minutes", lang, n=r.minutes)
        out += [f"## {r.lesson_id:02d} · {_md(getattr(r, f'title_{lang}'))}", ""]
        out += [f"`{r.lesson_id:02d}_{r.slug}.ipynb` · {minutes}", ""]
        mine = objectives[objectives.lesson_id == r.lesson_id].sort_values("objective_no")
        out += [word("guide.objectives", lang), ""]
        out += [f"{i}. {_md(text)}" for i, text in enumerate(mine[f"objective_{lang}"], 1)] + [""]
        shown = _shown_documents(guide_path(lang, root).parent / f"{r.lesson_id:02d}_{r.slug}.ipynb")
        docs = documents[documents.document_id.isin(shown) if shown else documents.lesson_id == r.lesson_id]
        if len(docs):
            out += [word("guide.documents", lang), ""]
            out += [
                f"- {_md(d[f'title_{lang}'])} ({_md(localized(d, 'author', lang))}, {date_text(d.date, lang)})"
                for _, d in docs.iterrows()
            ]
            out += [""]
        out += [word("guide.questions", lang), ""]
        for q in quiz[quiz.lesson_id == r.lesson_id].itertuples():
            out.append(f"- {_md(getattr(q, f'question_{lang}'))} *({word(f'guide.kind.{q.kind}', lang)})*")
        out += [""]
    out += ["## " + word("guide.running", lang), "", word("guide.running_steps", lang), ""]
    return "\n".join(out)
