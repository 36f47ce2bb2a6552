"""The data package descriptor (``datapackage.json``) read into small typed objects.

The descriptor is the single source of truth: field types, constraints, keys and the cross-table
checks all come from it, so no table needs code of its own. A descriptor that cannot drive the
checks (not JSON, no tables, a key naming a column that does not exist, …) raises
:class:`~bolivia_lessons.errors.DataError` naming what is wrong and where.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import DataError, Phrase, Problem, os_reason

__all__ = ["DESCRIPTOR", "FIELD_TYPES", "Field", "ForeignKey", "Package", "Resource", "read_package"]

DESCRIPTOR = "datapackage.json"
#: The Table Schema field types this library reads, with the pandas dtype each becomes.
FIELD_TYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "date": "datetime64[ns]",
}


@dataclass(frozen=True)
class Field:
    """One column of a table, as the Table Schema describes it."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    unique: bool = False
    true_values: tuple[str, ...] = ("true",)
    false_values: tuple[str, ...] = ("false",)
    precision_field: str | None = None  # set for historical dates (YYYY, YYYY-MM, YYYY-MM-DD)
    not_before: str | None = None  # another column this one may not precede (end >= start)

    @property
    def is_historical_date(self) -> bool:
        """Whether the column holds a date of varying precision."""
        return self.precision_field is not None

    @property
    def pandas_dtype(self) -> str:
        """The dtype the loader gives this column.

        Historical dates become :class:`pandas.Period` objects whose frequency is their
        precision (day, month or year); a column of mixed frequencies has dtype ``object``.
        """
        if self.is_historical_date:
            return "object"
        if self.enum is not None:
            return "category"
        return FIELD_TYPES[self.type]


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that must match the key of another."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    """One table: its file, its columns and its keys."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def field_names(self) -> tuple[str, ...]:
        """The column names, in the order of the schema."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        """Return the column called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Package:
    """The whole data package: its tables and the checks that span rows or tables."""

    root: Path
    resources: tuple[Resource, ...]
    checks: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def names(self) -> tuple[str, ...]:
        """The table names, in the descriptor's order."""
        return tuple(r.name for r in self.resources)

    def resource(self, name: str) -> Resource:
        """Return the table called ``name``.

        Raises
        ------
        KeyError
            With the list of known tables, if there is none of that name.

        """
        for r in self.resources:
            if r.name == name:
                return r
        raise KeyError(f"no table named {name!r}; the tables are: {', '.join(self.names)}")


# -- building the objects (from a descriptor already checked by _descriptor_problems) -------


def _field(d: dict[str, Any]) -> Field:
    c = d.get("constraints", {})
    return Field(
        name=d["name"],
        type=d.get("type", "string"),
        description=d.get("description", ""),
        required=bool(c.get("required", False)),
        enum=tuple(c["enum"]) if "enum" in c else None,
        minimum=c.get("minimum"),
        maximum=c.get("maximum"),
        pattern=c.get("pattern"),
        unique=bool(c.get("unique", False)),
        true_values=tuple(d.get("trueValues", ("true",))),
        false_values=tuple(d.get("falseValues", ("false",))),
        precision_field=d.get("x-precision-field"),
        not_before=d.get("x-not-before"),
    )


def _resource(d: dict[str, Any]) -> Resource:
    s = d["schema"]
    fks = tuple(
        ForeignKey(
            fields=tuple(_as_list(fk["fields"])),
            resource=fk["reference"]["resource"],
            reference=tuple(_as_list(fk["reference"]["fields"])),
        )
        for fk in s.get("foreignKeys", [])
    )
    return Resource(
        name=d["name"],
        path=d["path"],
        title=d.get("title", d["name"]),
        description=d.get("description", ""),
        fields=tuple(_field(f) for f in s["fields"]),
        primary_key=tuple(_as_list(s.get("primaryKey", []))),
        foreign_keys=fks,
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# -- checking the descriptor itself ----------------------------------------------------------


def _is_names(value: Any) -> bool:
    """A column name or a non-empty list of them."""
    return isinstance(value, str) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _field_problems(f: Any, where: str) -> list[tuple[str, Any, str]]:
    """What is wrong with one field description, as (where, value, expected) triples."""
    if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
        return [(where, f, Phrase("validate.schema.field_name"))]
    found = []
    kind = f.get("type", "string")
    if kind not in FIELD_TYPES:
        found.append((f"{where}.type", kind, Phrase("validate.schema.field_type", types=", ".join(FIELD_TYPES))))
    c = f.get("constraints", {})
    if not isinstance(c, dict):
        return [*found, (f"{where}.constraints", c, Phrase("validate.schema.constraints"))]
    for key in ("required", "unique"):
        if key in c and not isinstance(c[key], bool):
            found.append((f"{where}.constraints.{key}", c[key], Phrase("validate.schema.true_or_false")))
    for key in ("minimum", "maximum"):
        if key in c and not _is_number(c[key]):
            found.append((f"{where}.constraints.{key}", c[key], Phrase("validate.expected.a_number")))
    if "enum" in c and not (isinstance(c["enum"], list) and c["enum"] and all(isinstance(v, str) for v in c["enum"])):
        found.append((f"{where}.constraints.enum", c["enum"], Phrase("validate.schema.enum")))
    if "pattern" in c:
        try:
            re.compile(c["pattern"])
        except (re.error, TypeError) as exc:
            found.append((f"{where}.constraints.pattern", c["pattern"], Phrase("validate.schema.pattern", error=exc)))
    for key in ("trueValues", "falseValues"):
        if key in f and not (isinstance(f[key], list) and all(isinstance(v, str) for v in f[key])):
            found.append((f"{where}.{key}", f[key], Phrase("validate.schema.texts")))
    return found


def _descriptor_problems(d: Any) -> list[tuple[str, Any, str]]:
    """Everything that keeps a descriptor from driving the checks, as (where, value, expected)."""
    if not isinstance(d, dict):
        return [(Phrase("validate.schema.top_level"), type(d).__name__, Phrase("validate.schema.object"))]
    resources = d.get("resources")
    if not isinstance(resources, list) or not resources:
        return [('"resources"', resources, Phrase("validate.schema.resources"))]
    found: list[tuple[str, Any, str]] = []
    columns: dict[str, set[str]] = {}
    tables = []
    for i, r in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(r, dict) or not isinstance(r.get("name"), str) or not r["name"]:
            found.append((where, r, Phrase("validate.schema.resource_name")))
            continue
        if "schema" not in r:
            continue  # not a table (the map's geodata, for example)
        where = f"resources[{i}] ({r['name']})"
        path = r.get("path")
        if not isinstance(path, str) or not path or PurePosixPath(path).is_absolute() or ".." in path.split("/"):
            found.append((f"{where}.path", path, Phrase("validate.schema.path")))
        if r["name"] in columns:
            found.append((f"{where}.name", r["name"], Phrase("validate.schema.table_once")))
        s = r["schema"]
        fields = s.get("fields") if isinstance(s, dict) else None
        if not isinstance(fields, list) or not fields:
            found.append((f"{where}.schema.fields", fields, Phrase("validate.schema.fields")))
            columns[r["name"]] = set()
            continue
        names: set[str] = set()
        for j, f in enumerate(fields):
            found += _field_problems(f, f"{where}.schema.fields[{j}]")
            if isinstance(f, dict) and isinstance(f.get("name"), str):
                if f["name"] in names:
                    found.append((f"{where}.schema.fields[{j}].name", f["name"], Phrase("validate.schema.column_once")))
                names.add(f["name"])
        columns[r["name"]] = names
        tables.append((where, r, s, names))
    for where, r, s, names in tables:
        for j, f in enumerate(s["fields"]):
            for key in ("x-precision-field", "x-not-before"):
                if isinstance(f, dict) and key in f and f[key] not in names:
                    found.append(
                        (
                            f"{where}.schema.fields[{j}].{key}",
                            f[key],
                            Phrase("validate.schema.column_of", table=r["name"]),
                        )
                    )
        pk = s.get("primaryKey", [])
        if pk != [] and not (_is_names(pk) and set(_as_list(pk)) <= names):
            expected = Phrase("validate.schema.columns_of_listed", table=r["name"], columns=", ".join(sorted(names)))
            found.append((f"{where}.schema.primaryKey", pk, expected))
        fks = s.get("foreignKeys", [])
        if not isinstance(fks, list):
            found.append((f"{where}.schema.foreignKeys", fks, Phrase("validate.schema.foreign_keys")))
            continue
        for k, fk in enumerate(fks):
            at = f"{where}.schema.foreignKeys[{k}]"
            ref = fk.get("reference") if isinstance(fk, dict) else None
            if not isinstance(ref, dict) or not _is_names(fk.get("fields")) or not _is_names(ref.get("fields")):
                found.append((at, fk, '{"fields": [...], "reference": {"resource": ..., "fields": [...]}}'))
                continue
            if not set(_as_list(fk["fields"])) <= names:
                found.append((f"{at}.fields", fk["fields"], Phrase("validate.schema.columns_of", table=r["name"])))
            target = ref.get("resource")
            if target not in columns:
                found.append((f"{at}.reference.resource", target, Phrase("validate.schema.table")))
            elif not set(_as_list(ref["fields"])) <= columns[target]:
                found.append(
                    (f"{at}.reference.fields", ref["fields"], Phrase("validate.schema.columns_of", table=target))
                )
            elif len(_as_list(ref["fields"])) != len(_as_list(fk["fields"])):
                expected = Phrase("validate.schema.as_many_columns", fields=fk["fields"])
                found.append((f"{at}.reference.fields", ref["fields"], expected))
    checks = d.get("x-checks", [])
    if not isinstance(checks, list):
        found.append(('"x-checks"', checks, Phrase("validate.schema.checks")))
    else:
        for k, c in enumerate(checks):
            if not isinstance(c, dict) or not isinstance(c.get("check"), str):
                found.append((f"x-checks[{k}]", c, Phrase("validate.schema.check_name")))
            elif c.get("resource") not in columns:
                found.append((f"x-checks[{k}].resource", c.get("resource"), Phrase("validate.schema.table")))
    return found


def _problem(label: str, where: str, value: Any, expected: str) -> Problem:
    shown = value if isinstance(value, str) or value is None else json.dumps(value, ensure_ascii=False)
    if shown is not None and len(shown) > 80:
        shown = shown[:79] + "…"
    return Problem(label, None, None, shown, Phrase("validate.at", expected=expected, where=where))


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> Package:
    label = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
        descriptor = json.loads(text)
    except OSError as exc:
        expected = Phrase("validate.schema.unreadable", reason=os_reason(exc))
        raise DataError([Problem(label, None, None, None, expected)]) from None
    except UnicodeDecodeError as exc:
        expected = Phrase("validate.schema.utf8", byte=exc.start)
        raise DataError([Problem(label, None, None, None, expected)]) from None
    except json.JSONDecodeError as exc:
        line = exc.doc.splitlines()[exc.lineno - 1].strip() if exc.doc.strip() else ""
        expected = Phrase("validate.schema.json", error=exc.msg, line=exc.lineno, column=exc.colno)
        raise DataError([Problem(label, exc.lineno, None, line[:80], expected)]) from None
    except RecursionError:
        raise DataError([Problem(label, None, None, None, Phrase("validate.schema.json_deep"))]) from None
    found = _descriptor_problems(descriptor)
    if found:
        raise DataError([_problem(label, *f) for f in found])
    return Package(
        root=path.parent,
        resources=tuple(_resource(r) for r in descriptor["resources"] if "schema" in r),  # tables only
        checks=tuple(descriptor.get("x-checks", ())),
    )


def read_package(root: Path) -> Package:
    """Read ``datapackage.json`` in ``root`` (cached until the file changes).

    Parameters
    ----------
    root : pathlib.Path
        The data folder.

    Returns
    -------
    Package

    Raises
    ------
    DataError
        If there is no readable descriptor, or it is not JSON, or it cannot drive the checks (no
        tables, a field type this library does not read, a key naming a missing column, …).

    Examples
    --------
    >>> from bolivia_lessons.paths import data_dir
    >>> read_package(data_dir()).resource("events").primary_key
    ('event_id',)

    """
    path = Path(root) / DESCRIPTOR
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        expected = Phrase("validate.schema.no_descriptor")
        raise DataError([Problem(str(path), None, None, None, expected)]) from None
    return _read(path, mtime)
