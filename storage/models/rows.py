"""Tables as Core tables and rows as objects, for the statements built on columns (hot paths)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Table
from sqlalchemy.orm import configure_mappers, make_transient_to_detached
from sqlmodel import SQLModel

Model = TypeVar("Model", bound=SQLModel)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a model, for statements built on columns (SQLModel hides `__table__`)."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


_LENGTHS: dict[type[SQLModel], dict[str, int]] = {}


def column_length(model: type[SQLModel], name: str) -> int | None:
    """The most characters a text column keeps (None: any number)."""
    lengths = _LENGTHS.get(model)
    if lengths is None:
        columns = table_of(model).c
        lengths = {c.name: length for c in columns if isinstance(length := getattr(c.type, "length", None), int)}
        _LENGTHS[model] = lengths
    return lengths.get(name)


def fitted(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """`values` with each text cut to its column's length. A person's words (a reply, a name, a file's
    name) may be longer than what is kept of them: PostgreSQL refuses such a value ("value too long for
    type character varying"), where SQLite would keep it whole."""
    kept = dict(values)
    for name, value in values.items():
        if isinstance(value, str) and (length := column_length(model, name)) is not None and len(value) > length:
            kept[name] = value[:length]
    return kept


def built(model: type[Model], values: Mapping[str, Any]) -> Model:
    """A row of a table as an object, from values the database gave back (or took) as they are.

    Made the way SQLAlchemy's ORM makes an object it loads: the instance with its state, then the
    values, then detached, as if loaded by a session since closed. SQLModel's `__init__` checks every
    field again, which for the few objects a status update needs had been a tenth of the CPU the core
    spends on one (bench/README.md). `values` must hold the primary key.
    """
    mapper = model.__mapper__  # type: ignore[attr-defined]
    if not mapper.configured:  # attributes are read through the mapping, set up once
        configure_mappers()
    instance: Model = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    return instance
