"""One catalogue of words per language: complete, consistent, all used, and followed notebook-wide."""

from __future__ import annotations

import ast
import json
import re
import string
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import bolivia_lessons  # noqa: E402
from bolivia_lessons import charts, lessons, text, widgets  # noqa: E402
from bolivia_lessons.schema import read_package  # noqa: E402

PACKAGE = Path(bolivia_lessons.__file__).parent
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "data" not in p.relative_to(PACKAGE).parts)
KEY = r"[a-z_]+(?:\.[a-z0-9_]+)+"


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    text.set_lang("en")
    plt.close("all")


def catalogue(lang: str) -> dict[str, str]:
    """The file itself, not the cached copy the library reads."""
    return json.loads((resources.files("bolivia_lessons") / "locales" / f"{lang}.json").read_text(encoding="utf-8"))


def placeholders(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}


class Strings(ast.NodeVisitor):
    """The string constants of the library's code (docstrings left out), and the keys it builds.

    ``keys`` are constants shaped like a catalogue key; ``called`` those passed straight to
    ``word()``; ``prefixes`` the fixed starts of f-strings such as ``f"enum.events.category.{c}"``.
    """

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.called: set[str] = set()
        self.prefixes: set[str] = set()
        self._docstrings: set[ast.AST] = set()  # the nodes themselves: an id() could be reused
        for path in SOURCES:
            self.visit(ast.parse(path.read_text(encoding="utf-8")))

    def generic_visit(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            self._docstrings.add(body[0].value)
        super().generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and node not in self._docstrings and re.fullmatch(KEY, node.value):
            self.keys.add(node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        first = node.values[0] if node.values else None
        if isinstance(first, ast.Constant) and len(node.values) > 1 and re.fullmatch(KEY + r"\.", first.value):
            self.prefixes.add(first.value[:-1])
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = getattr(node.func, "id", getattr(node.func, "attr", None))
        if name == "word" and node.args and isinstance(node.args[0], ast.Constant):
            self.called.add(node.args[0].value)
        self.generic_visit(node)


@pytest.mark.parametrize("lang", text.LANGS)
def test_catalogue_is_flat_text_with_namespaced_keys(lang: str) -> None:
    words = catalogue(lang)
    assert words and all(isinstance(v, str) for v in words.values())
    assert all(re.fullmatch(KEY, k) for k in words), [k for k in words if not re.fullmatch(KEY, k)]
    assert [k for k, v in words.items() if not v.strip()] == []


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, es = catalogue("en"), catalogue("es")
    assert sorted(set(en) ^ set(es)) == []
    differ = {k: (placeholders(en[k]), placeholders(es[k])) for k in en if placeholders(en[k]) != placeholders(es[k])}
    assert differ == {}


def under(key: str, prefix: str) -> bool:
    """Whether ``prefix`` + one more name makes ``key`` (``enum.coups.outcome`` + ``failed``)."""
    return key.startswith(prefix + ".") and "." not in key[len(prefix) + 1 :]


def test_every_key_used_in_the_code_exists() -> None:
    code, words = Strings(), catalogue("en")
    assert len(code.called) > 50, "few word(...) calls found: the scan is broken"
    # keys handed to word() through a variable (a tuple of headings) are string constants too
    namespaces = {k.split(".")[0] for k in words}
    named = {k for k in code.keys if k.split(".")[0] in namespaces}
    missing = sorted((code.called | named) - set(words))
    assert not missing, f"used in the code but not in the catalogue: {missing}"
    missing = sorted(p for p in code.prefixes if not any(under(k, p) for k in words))
    assert not missing, f"keys built in the code under prefixes the catalogue lacks: {missing}"


def test_no_catalogue_key_is_unused() -> None:
    code = Strings()
    assert {"enum.events.category", "date.month"} <= code.prefixes  # the scan sees f-string keys
    unused = [k for k in catalogue("en") if k not in code.keys and not any(under(k, p) for p in code.prefixes)]
    assert not unused, f"in the catalogue but used nowhere: {unused}"


def test_coded_values_are_named_exactly_for_the_schemas_enumerations() -> None:
    package = read_package(bolivia_lessons.data_dir())
    named: dict[tuple[str, str], set[str]] = {}
    for key in catalogue("en"):
        if key.startswith("enum."):
            _, table, field, value = key.split(".")
            named.setdefault((table, field), set()).add(value)
    assert named
    for (table, field), values in named.items():
        assert values == set(package.resource(table).field(field).enum), (table, field)


def test_one_spanish_word_for_each_outcome() -> None:
    es = catalogue("es")
    # a coup's outcome (a row, a menu) is singular; the chart counts them in the plural
    assert (es["enum.coups.outcome.successful"], es["enum.coups.outcome.failed"]) == ("exitoso", "fallido")
    assert (es["chart.coups.successful"], es["chart.coups.failed"]) == ("exitosos", "fallidos")
    assert text.word("term.decade", "es") == "Década"


def test_a_missing_key_is_named() -> None:
    with pytest.raises(KeyError, match=r"no word 'chart.vote' in the en catalogue.*chart\.votes"):
        text.word("chart.vote", "en")
    with pytest.raises(KeyError, match=r"chart.land.national.*value"):
        text.word("chart.land.national", "en")
    with pytest.raises(ValueError, match="lang must be one of en, es"):
        text.word("chart.votes", "fr")


def test_words_formats_and_citations() -> None:
    assert text.word("chart.timeline.title", "es", start="1952", end="1956") == "Acontecimientos: 1952 – 1956"
    assert text.long_date(__import__("datetime").date(1952, 4, 9), "es") == "9 de abril de 1952"
    assert text.number(786792.5, "es", 1) == "786.792,5"
    assert text.citation("A & B", "T", "P", 1984, "p. 3") == "A &amp; B, <i>T</i>, P (1984), p. 3"
    assert text.citation("A", "T", None, None, None, markup=False) == "A, T"


def test_the_catalogue_ships_inside_the_package() -> None:
    # hatch puts every file under bolivia_lessons/ into the wheel (nothing in .gitignore matches)
    for lang in text.LANGS:
        assert (PACKAGE / "locales" / f"{lang}.json").is_file()


def test_the_notebook_language_is_followed_and_overridden() -> None:
    assert text.get_lang() == "en"
    text.set_lang("es")
    assert text.get_lang() == "es" and text.resolve_lang(None) == "es" and text.resolve_lang("en") == "en"
    # charts, text alternatives, explorers, tables and the quiz all follow it ...
    ax = charts.plot_election(election_id="1956_general")
    assert ax.get_title().startswith("Elección presidencial del 17 de junio de 1956")
    assert charts.describe_election(election_id="1956_general").startswith("Gráfico de barras")
    assert charts.describe_timeline(start="1952-04-08", end="1952-04-12").startswith("Línea de tiempo con")
    box = widgets.election_explorer()
    assert box.controls["scale"].description == "Escala"
    assert "escala lineal" in box.output.outputs[0]["data"]["text/html"]
    assert repr(box) == "Explorador de elecciones: ejecuta esta celda para usarlo."
    assert list(lessons.glossary(["militia"]).columns) == ["Término", "Definición"]
    assert repr(widgets.quiz(lesson_id=5)).startswith("Cuestionario de autoevaluación")
    # ... and lang= on one call still wins
    assert charts.plot_election(election_id="1956_general", lang="en").get_title().startswith("Presidential election")
    assert widgets.coup_explorer(lang="en").controls["outcome"].description == "Outcome"
    assert list(lessons.glossary(["militia"], lang="en").columns) == ["Term", "Definition"]
    with pytest.raises(ValueError, match="lang must be one of en, es"):
        text.set_lang("fr")
    assert text.get_lang() == "es"
