"""The commands speak Spanish when asked (``--lang es``) or when the system's locale is Spanish.

Each test runs a command the way a Bolivian teacher would, then reads what it printed: the Spanish
sentence, with file, fila, columna, valor and what is expected, and no English sentence left over.
The Python API keeps English by default (``str(problem)``), with the same problem said in Spanish
on request.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import set_cell

import bolivia_lessons as bl
from bolivia_lessons import DataError, Problem, build, classroom
from bolivia_lessons.cli import main, system_lang
from bolivia_lessons.errors import Phrase

ROOT = Path(__file__).resolve().parents[1]
LESSONS = classroom.lesson_paths("en")
EVENT = "1952_04_09_insurrection_begins"
#: Pieces of the English messages: none may appear in a Spanish run.
ENGLISH = (
    " expected ",
    "Lessons in",
    "The lessons:",
    " problems in",
    " problem in",
    "row ",
    "column '",
    "value '",
    "missing value",
    "OK:",
    "added ",
    "kept ",
    "not copied",
    "Wrote ",
    "not written",
    "Choose an empty folder",
    "Checking the lessons",
    "each runs in",
    ": stale",
    "teacher's guide",
    "out of date",
    "differs from",
    "Fix:",
    "the data has",
    "usage:",
    "error: argument",
    "show this help",
)


def english_in(text: str) -> list[str]:
    """The English pieces found in ``text``, leaving out the lesson titles a listing shows."""
    lines = [line for line in text.splitlines() if "Lesson " not in line]  # the English edition's titles
    return [piece for piece in ENGLISH if any(piece in line for line in lines)]


@pytest.fixture(autouse=True)
def _english_system(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts on an English system, whatever the developer's own locale."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture(params=["option", "locale"])
def spanish(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The arguments that make a run Spanish: ``--lang es``, or none on a Spanish system."""
    if request.param == "option":
        return ["--lang", "es"]
    monkeypatch.setenv("LANG", "es_BO.UTF-8")
    return []


@pytest.fixture
def two_lessons(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Two shipped lessons stand for whichever edition is asked for (the message language is tested, not the
    edition), and keep the HTML export quick."""
    chosen = LESSONS[:2]
    monkeypatch.setattr(classroom, "lesson_paths", lambda lang="en": list(chosen))
    return chosen


def test_the_system_language_follows_the_posix_order() -> None:
    assert system_lang({"LANG": "es_BO.UTF-8"}) == "es"
    assert system_lang({"LANG": "es"}) == "es"
    assert system_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert system_lang({}) == "en"
    assert system_lang({"LC_ALL": "C.UTF-8", "LANG": "es_BO.UTF-8"}) == "en", "LC_ALL wins"
    assert system_lang({"LC_MESSAGES": "es_BO.UTF-8", "LANG": "en_GB.UTF-8"}) == "es", "then LC_MESSAGES"
    assert system_lang({"LC_ALL": "", "LANG": "es_BO.UTF-8"}) == "es", "an empty variable is not set"


def _break_events(folder: Path) -> tuple[Path, int]:
    path = folder / "events.csv"
    row = set_cell(path, EVENT, "start_date", "1952-02-30")
    set_cell(path, EVENT, "category", "nonsense")
    set_cell(path, EVENT, "title_es", "")
    return path, row


def test_validate_names_file_row_column_value_and_expectation_in_spanish(
    data_copy: Path, spanish: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, row = _break_events(data_copy)
    assert main(["validate", str(data_copy), *spanish]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"3 problemas en los datos de {data_copy}:",
        f"  - {path}, fila {row}, columna 'start_date': valor '1952-02-30'; se esperaba una fecha real del "
        "calendario escrita AAAA, AAAA-MM o AAAA-MM-DD",
        f"  - {path}, fila {row}, columna 'title_es': falta el valor; se esperaba un valor (texto); esta columna "
        "es obligatoria",
        f"  - {path}, fila {row}, columna 'category': valor 'nonsense'; se esperaba uno de estos valores: war, "
        "labour, insurrection, coup, election, reform, economy, repression, politics, founding",
    ]
    assert english_in(out) == []


def test_validate_stays_english_by_default_and_when_asked(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path, row = _break_events(data_copy)
    assert main(["validate", str(data_copy)]) == 1
    english = capsys.readouterr().out
    assert english.startswith(f"3 problems in the data package in {data_copy}:\n")
    assert f"  - {path}, row {row}, column 'start_date': value '1952-02-30'; expected a real calendar date" in english
    # English when asked, on a Spanish system
    monkeypatch.setenv("LANG", "es_BO.UTF-8")
    assert main(["validate", str(data_copy), "--lang", "en"]) == 1
    assert capsys.readouterr().out == english


def test_validate_ok_and_a_teachers_folder_in_spanish(
    tmp_path: Path, spanish: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", *spanish]) == 0
    assert capsys.readouterr().out.startswith(f"Todo bien: los datos de {bl.data_dir()}: ")
    mine = tmp_path / "mi_curso"
    mine.mkdir()
    (mine / "events.xlsx").write_bytes(b"PK")
    assert main(["validate", str(mine), *spanish]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"1 problema en {mine}, junto con los datos de {bl.data_dir()}:",
        f"  - {mine / 'events.xlsx'}: valor 'events.xlsx'; se esperaba un archivo CSV: ábrelo y guárdalo como "
        "'CSV UTF-8 (delimitado por comas)' con el nombre events.csv",
    ]


def test_problems_are_english_in_python_and_spanish_on_request(data_copy: Path) -> None:
    path, row = _break_events(data_copy)
    with pytest.raises(DataError) as info:
        bl.load_events()
    err = info.value
    first = err.problems[0]
    assert str(first) == (
        f"{path}, row {row}, column 'start_date': value '1952-02-30'; expected a real calendar date written YYYY, "
        "YYYY-MM or YYYY-MM-DD"
    )
    assert first.expected == "a real calendar date written YYYY, YYYY-MM or YYYY-MM-DD"
    assert first.message("es") == (
        f"{path}, fila {row}, columna 'start_date': valor '1952-02-30'; se esperaba una fecha real del calendario "
        "escrita AAAA, AAAA-MM o AAAA-MM-DD"
    )
    assert str(err).startswith("3 problems in the data:\n  - ")
    assert err.report("es").startswith("3 problemas en los datos:\n  - ")
    assert err.report("es").count("se esperaba") == 3 and english_in(err.report("es")) == []
    # a problem made with a plain sentence (the API's own users) says it as it is
    plain = Problem("mine.csv", None, None, None, "a file of mine")
    assert plain.message("es") == "mine.csv: falta el valor; se esperaba a file of mine"


def test_a_phrase_is_its_english_text_and_survives_pickling() -> None:
    import pickle

    phrase = Phrase("validate.expected.required", what=Phrase("validate.type.integer"))
    assert phrase == "a value (a whole number (digits only, no thousands separators)); this column is required"
    assert (
        phrase.say("es")
        == "un valor (un número entero (solo cifras, sin separador de miles)); esta columna es obligatoria"
    )
    again = pickle.loads(pickle.dumps(phrase))
    assert again == phrase and again.say("es") == phrase.say("es")


def test_a_command_that_meets_bad_data_says_so_in_spanish(
    data_copy: Path, spanish: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _break_events(data_copy)
    assert main(["guide", *spanish]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bolivia-lessons guide: los datos tienen problemas:\n3 problemas en los datos:\n")
    assert "Revísalos con: bolivia-lessons validate" in err
    assert english_in(err) == []


def test_lab_copy_only_reports_in_spanish(
    tmp_path: Path, spanish: list[str], two_lessons: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "curso"
    names = ", ".join(p.name for p in two_lessons)
    assert main(["lab", str(folder), "--copy-only", *spanish]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == [f"Lecciones en {folder}:", f"  agregadas 2: {names}", "Las lecciones:"]
    assert english_in(out) == []
    # again, with a folder in the way of one lesson: kept, refused, and said so
    (folder / two_lessons[0].name).unlink()
    (folder / two_lessons[0].name).mkdir()
    assert main(["lab", str(folder), "--copy-only", *spanish]) == 1
    out = capsys.readouterr().out
    assert f"  conservadas 1 que ya estaban: {two_lessons[1].name}" in out
    assert (
        f"  no copiada: {two_lessons[0].name} (ya hay una carpeta con ese nombre; cámbiale el nombre para recibir "
        "la lección)"
    ) in out
    assert english_in(out) == []


def test_lab_on_a_spanish_system_falls_back_to_the_english_edition_only_if_there_is_no_spanish_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LANG", "es_BO.UTF-8")
    assert main(["lab", str(tmp_path / "curso"), "--copy-only"]) == 0
    out = capsys.readouterr().out
    edition = "es" if classroom.lesson_paths("es") else "en"
    shipped = classroom.lesson_paths(edition)
    assert f"  agregadas {len(shipped)}: " in out and shipped[0].name in out
    assert english_in(out) == []


def test_export_and_its_mistakes_in_spanish(
    tmp_path: Path, spanish: list[str], two_lessons: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", *spanish]) == 2
    assert capsys.readouterr().err == "bolivia-lessons export: indica --student DIR, --teacher DIR o ambos\n"
    assert main(["export", "--student", str(tmp_path / "e"), *spanish]) == 0
    assert main(["export", "--student", str(tmp_path / "e"), *spanish]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Copia para estudiantes. Lecciones en {tmp_path / 'e'}:\n")
    assert "  (se conservaron los archivos que ya estaban en la carpeta;" in out
    assert english_in(out) == []
    a_file = tmp_path / "notas.txt"
    a_file.write_text("mías", encoding="utf-8")
    assert main(["lab", str(a_file), "--copy-only", *spanish]) == 2
    err = capsys.readouterr().err
    assert err == f"bolivia-lessons lab: {a_file} es un archivo, no una carpeta; elige una carpeta para las lecciones\n"


def test_html_reports_in_spanish(
    tmp_path: Path, spanish: list[str], two_lessons: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "paginas"
    folder.mkdir()
    mine = folder / f"{two_lessons[0].stem}.html"
    mine.write_text("<p>mi página</p>", encoding="utf-8")
    assert main(["html", str(folder), *spanish]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Se escribieron 1 páginas en {folder}:"
    assert f"  no escrita: {mine.name} (ya hay ahí un archivo con ese nombre que no hizo este comando)" in lines
    assert lines[-1] == "Elige una carpeta vacía, o saca esos archivos de ahí, y vuelve a ejecutar el comando."
    assert mine.read_text(encoding="utf-8") == "<p>mi página</p>"
    assert english_in(out) == []


def test_an_html_page_of_the_spanish_edition_points_to_the_notebook_in_spanish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interactive(path: Path) -> bool:
        cells = classroom.read_notebook(path)["cells"]
        return any("nbval-ignore-output" in c.get("metadata", {}).get("tags", []) for c in cells)

    lesson = next(p for p in LESSONS if interactive(p))
    monkeypatch.setattr(classroom, "lesson_paths", lambda lang="en": [lesson])
    spanish = classroom.export_html(tmp_path / "es", lang="es").written[0].read_text(encoding="utf-8")
    english = classroom.export_html(tmp_path / "en", lang="en").written[0].read_text(encoding="utf-8")
    assert "Interactive: open" in english and "Interactive: open" not in spanish
    assert "Interactivo: abre" in spanish and "en JupyterLab para usar este explorador o cuestionario." in spanish


def test_build_check_in_spanish(tmp_path: Path, spanish: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A maintainer's stale notebook and the missing guide, named in Spanish.

    With ``--lang es`` the check covers the Spanish edition only: an English source stands in for it.
    """
    edition = "es" if spanish else "en"
    source = ROOT / "notebooks" / "src" / "en" / "00_start_here.md"
    root = tmp_path / "notebooks"
    (root / "src" / edition).mkdir(parents=True)
    (root / edition).mkdir()
    copy = root / "src" / edition / source.name
    copy.write_text(source.read_text(encoding="utf-8") + "\nUna oración nueva al final.\n", encoding="utf-8")
    notebook = root / edition / f"{source.stem}.ipynb"
    shutil.copy(ROOT / "notebooks" / "en" / notebook.name, notebook)
    assert main(["build", "00", "--check", "--notebooks", str(root), *spanish]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"Revisando las lecciones ({edition}); cada una se ejecuta en su propio kernel…"
    assert lines[1].startswith(f"[ 1/1] {edition}/00_start_here: desactualizada (") and lines[1].endswith(" s)")
    guide = build.guide_path(edition, root)
    assert f"desactualizada: {guide} (la guía docente)" in lines
    assert "2 desactualizado(s):" in lines
    stale = next(line for line in lines if line.startswith(f"  {notebook} "))
    assert f"({edition}/00_start_here): no coincide con lo que genera {copy} (" in stale
    assert any(what in stale for what in ("de la celda", "celdas en el repositorio", "metadatos del cuaderno"))
    fix = f"Para corregirlo: bolivia-lessons build 00 --lang {edition}   (luego revisa con git diff y haz commit)"
    assert fix in lines
    assert english_in(out) == []
    assert not guide.exists(), "the check writes nothing"


def test_build_and_guide_mistakes_in_spanish(
    tmp_path: Path, spanish: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--notebooks", str(tmp_path), *spanish]) == 2
    assert capsys.readouterr().err == (
        f"bolivia-lessons build: {tmp_path} no tiene una carpeta src/ con las fuentes de las lecciones\n"
    )
    assert main(["guide", str(tmp_path), *spanish]) == 2
    assert capsys.readouterr().err == (
        f"bolivia-lessons guide: {tmp_path} es una carpeta; indica un nombre de archivo, como guia.md\n"
    )
    guide = tmp_path / "guia.md"
    assert main(["guide", str(guide), *spanish]) == 0
    assert capsys.readouterr().out == f"Se escribió {guide}\n"


def test_present_refuses_bad_data_in_spanish(
    data_copy: Path, spanish: list[str], two_lessons: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _break_events(data_copy)
    assert main(["present", "99", *spanish]) == 2
    assert "bolivia-lessons present: no existe la lección '99'; las lecciones son " in capsys.readouterr().err
    assert main(["present", two_lessons[0].name[:2], *spanish]) == 1
    err = capsys.readouterr().err
    assert err.startswith("bolivia-lessons present: los datos tienen 3 problema(s), así que la lección fallaría:\n")
    assert "se esperaba uno de estos valores" in err
    assert err.endswith("Corrígelos (bolivia-lessons validate los muestra todos) y vuelve a ejecutar present.\n")
    assert english_in(err) == []


def test_help_and_argument_errors_in_spanish(spanish: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lab", "--port", "80", *spanish])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("uso: bolivia-lessons lab ")
    assert "bolivia-lessons lab: error: argumento --port: un puerto es un número de 1024 a 65535, no 80" in err
    with pytest.raises(SystemExit):
        main(["validate", "--lang", "fr"] + spanish)
    err = capsys.readouterr().err
    assert "argumento --lang: opción no válida: 'fr'" in err
    for command in ("validate", "tables", "lab", "export", "html", "present", "guide", "build"):
        with pytest.raises(SystemExit):
            main([command, "--help", *spanish])
        out = capsys.readouterr().out
        assert out.startswith(f"uso: bolivia-lessons {command} ") and "opciones:" in out, command
        assert "muestra esta ayuda y termina" in out and "ejemplo" in out, command
        assert english_in(out) == [], command


def test_tables_takes_the_language_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tables", "--lang", "es"]) == 0
    assert capsys.readouterr().out.startswith("sources ")
