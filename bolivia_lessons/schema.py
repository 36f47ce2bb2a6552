"""The data package descriptor (``datapackage.json``) read into small typed objects.

The descriptor is the single source of truth: field types, constraints, keys and the cross-table
checks all come from it, so no table needs code of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"


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
        return {
            "string": "string",
            "integer": "Int64",
            "number": "Float64",
            "boolean": "boolean",
            "date": "datetime64[ns]",
        }[self.type]


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
    pk = s.get("primaryKey", [])
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
        primary_key=tuple(_as_list(pk)),
        foreign_keys=fks,
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> Package:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
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

    """
    path = Path(root) / DESCRIPTOR
    return _read(path, path.stat().st_mtime_ns)
