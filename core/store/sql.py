"""Quoting for SQL text built in core. Values are always bound as parameters; these quote
only what cannot be a parameter — identifiers (a user's header is never one: headers become
``c0 … cN``) and constants that core itself defines (a delimiter, a type name)."""

from __future__ import annotations


def quote_identifier(name: str) -> str:
    """Quote an identifier for DuckDB (double quotes, embedded quotes doubled)."""
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Quote a constant from core (never user input) as a SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"
