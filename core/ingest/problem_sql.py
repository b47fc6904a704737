"""SQL pieces for the problems validation writes (``upload_problem``): a message and its hint in
one VARCHAR, and the offending value quoted on one line."""

from __future__ import annotations

from core.store.sql import quote_literal


def msg(message_sql: str, hint: str) -> str:
    """``message_sql`` and ``hint`` in one VARCHAR, split on chr(31) when read."""
    return f"({message_sql} || chr(31) || {quote_literal(hint)})"


def got(v: str) -> str:
    r"""``got '<the value>'``: its first 60 characters, with tabs and line breaks written as
    \t, \n and \r, so that a message stays one line (and shows a padded value's padding)."""
    shown = f"replace(replace(replace(left({v}, 60), chr(9), '\\t'), chr(10), '\\n'), chr(13), '\\r')"
    return "'got ''' || " + shown + " || ''''"
