"""Handing lessons to a class: working copies, student and teacher copies, static HTML.

Two rules run through this module. A file that already exists in a learner's folder is never
overwritten: a learner's answers and notes are worth more than a fresh copy. And the student
copy is the teacher's copy minus the cells tagged ``teacher`` (notes and suggested answers), so
both always come from the same lesson.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Phrase, os_reason, say
from .paths import notebooks_dir
from .text import check_lang, word

__all__ = [
    "AUDIENCES",
    "TEACHER_TAG",
    "CopyReport",
    "HtmlReport",
    "copy_lessons",
    "export_html",
    "export_packets",
    "find_lesson",
    "for_audience",
    "lesson_paths",
    "lesson_title",
    "read_notebook",
]

#: Cell tag marking teacher notes and suggested answers, left out of student copies.
TEACHER_TAG = "teacher"
AUDIENCES = ("student", "teacher")


@dataclass
class CopyReport:
    """What a copy did, file by file.

    ``added``: new lessons copied. ``kept_unchanged``: already there and the same as shipped.
    ``kept_changed``: already there with the learner's own changes (never touched). ``outdated``:
    untouched since copied, but the package now ships a newer version (offered, not applied).
    ``updated``: such copies replaced by the newer version because an update was asked for.
    ``blocked``: could not be copied (a folder in the way, no permission), with the reason.
    """

    folder: Path
    added: list[str] = field(default_factory=list)
    kept_unchanged: list[str] = field(default_factory=list)
    kept_changed: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def present(self) -> list[str]:
        """Every lesson now in the folder, by file name."""
        return sorted(self.added + self.kept_unchanged + self.kept_changed + self.outdated + self.updated)

    def lines(self, lang: str = "en") -> list[str]:
        """A short account for the terminal, naming every file kept, offered or refused, in ``lang``."""
        out = [word("cli.copy.folder", lang, folder=self.folder)]
        groups = [
            ("cli.copy.added", self.added),
            ("cli.copy.updated", self.updated),
            ("cli.copy.kept_changed", self.kept_changed),
            ("cli.copy.kept_unchanged", self.kept_unchanged),
            ("cli.copy.outdated", self.outdated),
        ]
        for key, names in groups:
            if names:
                out.append("  " + word(key, lang, count=len(names), names=", ".join(names)))
        for line in self.blocked:
            out.append("  " + word("cli.copy.blocked", lang, reason=say(line, lang)))
        if not (self.present or self.blocked):
            out.append("  " + word("cli.copy.none", lang))
        return out


def lesson_paths(lang: str = "en") -> list[Path]:
    """The shipped lesson notebooks of one edition, in lesson order."""
    return sorted((notebooks_dir() / check_lang(lang)).glob("[0-9][0-9]_*.ipynb"))


def find_lesson(number: int | str, lang: str = "en") -> Path:
    """The shipped notebook of lesson ``number`` (``5`` or ``"05"``).

    Raises
    ------
    ValueError
        If there is no such lesson.

    """
    names = ", ".join(p.name[:2] for p in lesson_paths(lang))
    try:
        prefix = f"{int(number):02d}_"
    except ValueError:
        raise ValueError(Phrase("cli.present.no_lesson", lesson=repr(number), lessons=names)) from None
    for path in lesson_paths(lang):
        if path.name.startswith(prefix):
            return path
    raise ValueError(Phrase("cli.present.no_lesson", lesson=repr(number), lessons=names))


def lesson_title(path: Path) -> str:
    """A built lesson's title, as the build wrote it from the ``lessons`` table ("Lesson 5 · …")."""
    return str(read_notebook(path).get("metadata", {}).get("title", path.stem))


def read_notebook(path: Path) -> dict[str, Any]:
    """A notebook as a plain dict (nbformat 4 JSON)."""
    return json.loads(path.read_text(encoding="utf-8"))


def _write(nb: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def for_audience(nb: dict[str, Any], audience: str) -> dict[str, Any]:
    """The notebook as a student or a teacher gets it.

    Parameters
    ----------
    nb : dict
        A lesson notebook (nbformat 4 JSON).
    audience : {"student", "teacher"}
        ``"student"`` leaves out every cell tagged ``teacher`` and collapses the code of every code
        cell (one click opens it); ``"teacher"`` keeps everything, code visible.

    Returns
    -------
    dict
        A new notebook; ``nb`` is not changed.

    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    out = copy.deepcopy(nb)
    if audience == "student":
        out["cells"] = [c for c in out["cells"] if TEACHER_TAG not in c.get("metadata", {}).get("tags", [])]
        # learners see what the code shows, not the code: JupyterLab collapses a cell's input when
        # its metadata says so and shows a bar that opens it with one click
        for cell in out["cells"]:
            if cell.get("cell_type") == "code":
                cell.setdefault("metadata", {}).setdefault("jupyter", {})["source_hidden"] = True
    out.setdefault("metadata", {}).setdefault("bolivia_lessons", {})["audience"] = audience
    return out


def _digest(nb: dict[str, Any]) -> str:
    # compare what a learner can change (sources), not outputs that differ after any re-run
    return hashlib.sha256(json.dumps([c["source"] for c in nb["cells"]], ensure_ascii=False).encode()).hexdigest()


#: Where a copy records what was copied, so a later run can tell an untouched copy from an edited one.
COPIED_KEY = "copied_digest"


def _meta(nb: dict[str, Any]) -> dict[str, Any]:
    return nb.setdefault("metadata", {}).setdefault("bolivia_lessons", {})


def copy_lessons(
    folder: Path | str, audience: str = "student", lang: str = "en", *, update: bool = False
) -> CopyReport:
    """Copy every lesson into ``folder`` for ``audience``, adding only what is missing.

    A notebook the learner has changed is never overwritten. Each copy records a digest of what
    was copied, so a later run can tell a copy nobody has touched from an edited one: when the
    package ships a newer version of a lesson, an untouched copy is reported as ``outdated`` and,
    with ``update=True``, replaced.

    Parameters
    ----------
    folder : path
        The working folder; created if needed.
    audience : {"student", "teacher"}
        Which copy to make (see :func:`for_audience`).
    lang : {"en", "es"}
        The edition.
    update : bool
        Replace untouched copies of lessons that have changed since they were copied.

    Returns
    -------
    CopyReport

    Raises
    ------
    OSError
        If ``folder`` cannot be created (it is a file, or the parent is read-only).

    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(Phrase("cli.copy.not_a_folder", folder=folder))
    folder.mkdir(parents=True, exist_ok=True)
    report = CopyReport(folder)
    for source in lesson_paths(lang):
        fresh = for_audience(read_notebook(source), audience)
        _meta(fresh)[COPIED_KEY] = _digest(fresh)
        target = folder / source.name
        if target.is_dir() or (target.exists() and not target.is_file()):
            report.blocked.append(Phrase("cli.copy.folder_in_the_way", name=source.name))
            continue
        status = "added"
        if target.exists():
            status = _compare(target, fresh)
            if status == "outdated" and update:
                status = "updated"
            if status != "updated":
                getattr(report, status).append(source.name)
                continue
        try:
            _write(fresh, target)
        except OSError as exc:  # a read-only folder, a full disk: say so and go on with the others
            report.blocked.append(Phrase("cli.file_reason", name=source.name, reason=os_reason(exc)))
            continue
        getattr(report, status).append(source.name)
    return report


def _compare(target: Path, fresh: dict[str, Any]) -> str:
    """How a learner's existing copy stands against the lesson as shipped now."""
    try:
        mine = read_notebook(target)
        digest = _digest(mine)
    except (OSError, ValueError, KeyError, TypeError):  # not a notebook we can read: certainly the learner's
        return "kept_changed"
    if digest == _digest(fresh):
        return "kept_unchanged"
    copied = mine.get("metadata", {}).get("bolivia_lessons", {}).get(COPIED_KEY) if isinstance(mine, dict) else None
    # untouched since copied (its cells are what was copied) but the package now ships another version
    return "outdated" if copied == digest else "kept_changed"


#: Marks a page written by :func:`export_html`; only such a page is ever replaced.
GENERATOR = '<meta name="generator" content="bolivia-lessons html">'
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", flags=re.S | re.I)


@dataclass
class HtmlReport:
    """Pages written, and pages left alone because someone else's file has that name."""

    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def export_html(folder: Path | str, audience: str = "student", lang: str = "en") -> HtmlReport:
    """Write a static HTML page of every lesson, with its stored outputs, for reading and printing.

    Code cells are left out (a reader needs the text, the tables and the charts, each chart with
    its text alternative); explorers and quizzes need a kernel, so the page names the notebook to
    open instead. The pages are static and offline: every script is removed (the lessons need
    none, and nbconvert's templates would otherwise load MathJax, require.js and mermaid from a
    CDN). A page this command wrote before is replaced; any other file of the same name is not.

    Parameters
    ----------
    folder : path
        Where the ``NN_slug.html`` pages go; created if needed.
    audience : {"student", "teacher"}
        Whether teacher notes are included.
    lang : {"en", "es"}
        The edition.

    Returns
    -------
    HtmlReport

    Raises
    ------
    NotADirectoryError
        If ``folder`` is a file.

    """
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    report = HtmlReport()
    for source, page in _pages(folder, lang, ".html", "cli.html.not_a_folder", report):
        nb = for_audience(read_notebook(source), audience)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code" and "nbval-ignore-output" in cell.get("metadata", {}).get("tags", []):
                note = "*" + word("page.interactive", lang, notebook=f"`{source.name}`") + "*"
                cell["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {"text/markdown": note}}]
        nb.get("metadata", {}).pop("widgets", None)
        body, _ = exporter.from_notebook_node(nbformat.reads(json.dumps(nb), as_version=4))
        # a page is for reading and printing: every part of every document card is shown open
        body = _SCRIPT.sub("", body).replace("<head>", f"<head>\n{GENERATOR}", 1).replace("<details ", "<details open ")
        _write_page(page, body, report)
    return report


def _pages(
    folder: Path | str, lang: str, suffix: str, not_a_folder: str, report: HtmlReport
) -> Iterator[tuple[Path, Path]]:
    """Each lesson and the page it goes to, skipping (and reporting) pages someone else wrote.

    Raises
    ------
    NotADirectoryError
        If ``folder`` is a file.

    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(Phrase(not_a_folder, folder=folder))
    folder.mkdir(parents=True, exist_ok=True)
    for source in lesson_paths(lang):
        page = folder / f"{source.stem}{suffix}"
        if page.exists() and not _generated(page):
            report.refused.append(Phrase("cli.html.not_ours", name=page.name))
            continue
        yield source, page


def _write_page(page: Path, body: str, report: HtmlReport) -> None:
    """Write one page, or say why it could not be written and go on with the others."""
    try:
        page.write_text(body, encoding="utf-8")
    except OSError as exc:
        report.refused.append(Phrase("cli.file_reason", name=page.name, reason=os_reason(exc)))
        return
    report.written.append(page)


_PACKET_CSS = """
@page { margin: 15mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #111;
       max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 14pt; margin-top: 8mm; }
article.bl-document { break-inside: avoid-page; border-left: 3pt solid #0072B2; padding-left: 4mm; }
table.organizer { width: 100%; border-collapse: collapse; break-inside: avoid-page; }
table.organizer th, table.organizer td { border: 0.5pt solid #555; padding: 2mm; vertical-align: top;
                                          text-align: left; font-size: 10pt; }
table.organizer td.blank { height: 22mm; }
.lines { height: 90mm; border: 0.5pt solid #555; break-inside: avoid-page;
         background: repeating-linear-gradient(#fff 0, #fff 7.5mm, #bbb 7.5mm, #bbb 7.8mm); }
.label { font-weight: bold; margin-top: 4mm; }
"""


def export_packets(folder: Path | str, lang: str = "en") -> HtmlReport:
    """Write a printable packet per lesson: its documents, a sourcing organizer and room to write.

    Each packet holds the lesson's title and guiding question, every document the lesson shows
    (headnote, the document in our words, the adapted version and the key words of the original,
    all open), a sourcing organizer with a row per document to fill in by hand, and lined space
    for the written answer (claim, evidence, reasoning). The page is laid out to fit both A4 and
    US Letter (18 cm of text width, 15 mm margins) and loads nothing from the network.

    Parameters
    ----------
    folder : path
        Where ``NN_slug_packet.html`` go; created if needed.
    lang : {"en", "es"}
        The edition.

    Returns
    -------
    HtmlReport

    """
    import html as html_lib

    report = HtmlReport()
    for source, page in _pages(folder, lang, "_packet.html", "cli.html.packets_not_a_folder", report):
        nb = read_notebook(source)
        cards = [
            "".join(out["data"]["text/html"])
            for cell in nb["cells"]
            if cell["cell_type"] == "code"
            for out in cell.get("outputs", [])
            if "bl-document" in "".join(out.get("data", {}).get("text/html", ""))
        ]
        cards = [c.replace("<details ", "<details open ") for c in cards]
        titles = re.findall(r'<h4 id="[^"]*"[^>]*>(.*?)</h4>', "".join(cards))
        head = [word(f"packet.col.{n}", lang) for n in range(1, 6)]
        rows = "".join(
            f"<tr><th scope='row'>{t}</th>" + "<td class='blank'></td>" * (len(head) - 1) + "</tr>" for t in titles
        )
        meta = nb.get("metadata", {})
        question = _question(meta.get("bolivia_lessons", {}).get("lesson_id"), lang)
        e = html_lib.escape
        body = (
            f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>{GENERATOR}"
            f"<title>{e(str(meta.get('title', source.stem)))} — {e(word('packet.title', lang))}</title>"
            f"<style>{_PACKET_CSS}</style></head><body>"
            f"<h1>{e(str(meta.get('title', source.stem)))}</h1>"
            f"<p><b>{e(word('lesson.question', lang))}:</b> {e(question)}</p>"
            f"<h2>{e(word('packet.documents', lang))}</h2>{''.join(cards) or '<p>—</p>'}"
            f"<h2>{e(word('packet.organizer', lang))}</h2>"
            f"<table class='organizer'><thead><tr>{''.join(f'<th scope=col>{e(h)}</th>' for h in head)}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            f"<h2>{e(word('packet.answer', lang))}</h2><p>{e(question)}</p>"
            + "".join(
                f"<p class='label'>{e(word(k, lang))}</p><div class='lines'></div>"
                for k in ("packet.claim", "packet.evidence", "packet.reasoning")
            )
            + "</body></html>"
        )
        _write_page(page, body, report)
    return report


def _question(lesson_id: object, lang: str) -> str:
    from .loaders import load_lessons

    lessons = load_lessons().set_index("lesson_id")
    return str(lessons.loc[lesson_id, f"question_{lang}"]) if lesson_id in lessons.index else ""


def _generated(page: Path) -> bool:
    try:
        with page.open(encoding="utf-8", errors="replace") as fh:
            return GENERATOR in fh.read(4000)
    except OSError:
        return False
