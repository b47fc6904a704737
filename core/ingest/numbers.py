"""The number grammar of every import, and each numeric column's bounds.

Numbers: ONE grammar for every ``int``, ``number``, ``money`` and ``decimal`` column of
every kind (and the numeric features of snapshots): ``NUMBER_RE``, matched in DuckDB on
the cell's text BEFORE any cast (DuckDB's own casts read ``0x10``, ``1_000``, `` 2 ``,
``inf`` and ``+-1``; a value that does not match is never cast)::

    number   := sign? ( digits ( "." digits? )? | "." digits ) exponent?
    sign     := "+" | "-"
    digits   := "0" … "9", one or more (ASCII only)
    exponent := ( "e" | "E" ) sign? digits

so ``12``, ``-3.5``, ``.5``, ``5.``, ``1.2e-8`` are numbers and nothing else is: no spaces
around or inside (a cell of spaces only is empty; spaces are not trimmed, they are refused),
no hex or binary (``0x10``), no digit separators (``1_000``, ``1,234.56``, ``1 000``), no
decimal comma (``1,5``, ``1.234,56``), no currency signs (``$100``), no words (``NaN``,
``inf``, ``yes``). ``int`` columns take the whole-number subset ``WHOLE_RE``: sign? digits
( "." "0"* )? — ``120`` or ``120.0`` (as spreadsheets and pandas write counts), never
``1e3`` or ``1.5``.
Bounds, per column (``number_bound``; ``Column.maximum`` overrides the type's):
≥ 0 unless the column is ``signed`` (FOCUS costs: credits and refunds; KPI values), and
- ``int``: at most 2^53 − 1, or the store column's type (usage ``requests`` is INTEGER:
  2,147,483,647; token counts 10^11 a row, so a 50M-row file's sum fits BIGINT);
- ``number`` (DOUBLE): magnitude at most 10^15, so sums (latency × requests over 50M rows)
  stay finite; a non-zero value a double would hold as 0 (``1e-400``) is refused;
- ``money`` (DECIMAL(18, scale)): below 10^(18 − scale) and at most ``scale`` decimal
  places — trailing zeros do not count, an exponent does (``1e-9`` has 9): a value the
  column cannot hold exactly is refused with the precision allowed, never rounded;
- ``decimal`` (FOCUS costs, DECIMAL(38, 12)): magnitude below 10^18 (a 50M-row sum fits
  DECIMAL(38, 12)), at most 12 decimal places.
"""

from __future__ import annotations

from core.ingest.problem_sql import got, msg
from core.ingest.registry import Column
from core.store.sql import quote_identifier, quote_literal

NUMBER_RE = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
WHOLE_RE = r"^[+-]?\d+(\.0*)?$"
NUMERIC_TYPES = frozenset({"int", "number", "money", "decimal"})
INT_MAX = 2**53 - 1       # ``int`` without a ``maximum``: exact in a double as well as in BIGINT
NUMBER_MAX = 1e15         # ``number`` (DOUBLE) without a ``maximum``
DECIMAL_MAX = 10**18      # ``decimal`` (DECIMAL(38, 12)): exclusive
DECIMAL_SCALE = 12
# diagnoses only (a value that fails NUMBER_RE): the usual ways a number is mistyped
THOUSANDS = r"^[+-]?\d{1,3}([,' \x{a0}\x{202f}]\d{3})+(\.\d*)?$"  # 1,234.56 1 234 1'234
DECIMAL_COMMA = r"^[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+$"


def number_bound(column: Column) -> float | int:
    """The largest magnitude ``column`` accepts (see the module docstring); for ``money`` the
    DECIMAL(18, scale) type itself bounds it (below 10^(18 − scale))."""
    if column.maximum is not None:
        return column.maximum
    return {"int": INT_MAX, "number": NUMBER_MAX, "decimal": DECIMAL_MAX}.get(column.type, 10 ** (18 - column.scale))


def number_value_sql(v: str) -> str:
    """``v`` (text) as a DOUBLE when it matches the number grammar, else NULL (never a
    coerced value). For text kept as is and typed later (snapshot features)."""
    return f"(CASE WHEN regexp_full_match({v}, {quote_literal(NUMBER_RE)}) THEN TRY_CAST({v} AS DOUBLE) END)"


def decimal_places(v: str) -> str:
    """SQL: the decimal places ``v`` (a text matching the grammar) needs to be held exactly:
    trailing zeros do not count, an exponent shifts them (``1.50`` → 1, ``1e-9`` → 9,
    ``1000e-3`` → 0); NULL for an exponent too large to read (then out of range anyway)."""
    m = f"regexp_extract({v}, '^[+-]?(\\d*)\\.?(\\d*)[eE]([+-]?\\d+)$', ['i', 'f', 'e'])"
    digits = f"({m}.i || {m}.f)"
    return (f"(CASE WHEN NOT (contains({v}, 'e') OR contains({v}, 'E')) THEN "
            f"CASE WHEN contains({v}, '.') THEN strlen(rtrim({v}, '0')) - strpos({v}, '.') ELSE 0 END "
            f"WHEN ltrim({digits}, '0') = '' THEN 0 "
            f"ELSE greatest(0, strlen({m}.f) - TRY_CAST({m}.e AS INTEGER)"
            f" - (strlen({digits}) - strlen(rtrim({digits}, '0'))))"
            " END)")


def bound_text(bound) -> str:
    return f"{bound:,.0f}" if bound < 1e18 else f"{bound:.0e}".replace("e+", "e")


def parse_number(column: Column, v: str, factor: float, problem) -> tuple[str, str]:
    """(value, problem) of a numeric column: the grammar first (a value that does not match is
    NULL, never cast), then the column's bounds; the diagnosis says which rule failed."""
    t, x = column.type, quote_identifier(column.name)
    scale = DECIMAL_SCALE if t == "decimal" else column.scale
    sql_type = {"int": "BIGINT", "number": "DOUBLE", "money": f"DECIMAL(18, {scale})",
                "decimal": f"DECIMAL(38, {DECIMAL_SCALE})"}[t]
    grammar = quote_literal(WHOLE_RE if t == "int" else NUMBER_RE)
    as_double = f"TRY_CAST({v} AS DOUBLE)"
    cast = f"TRY_CAST({v} AS {sql_type})"
    if factor != 1:  # a unit alias (seconds → ms): scaled in double, then typed
        cast = f"TRY_CAST({as_double} * {factor} AS {sql_type})"
    matched = f"regexp_full_match({v}, {grammar})"
    if t == "int":  # plain digits (most counts) match WHOLE_RE: a GLOB class test says so at a third of the cost
        matched = f"NOT ({v} GLOB '*[!0-9]*') OR {matched}"
    value = f"(CASE WHEN {matched} THEN {cast} END)"
    bound = number_bound(column)
    floor = "" if column.signed else " ≥ 0"
    kind_word = {"int": "a whole number", "number": "a number", "money": "an amount", "decimal": "a number"}[t]
    expected = f"expected {kind_word}{floor}"
    # ok: the grammar matched (x is not NULL), within bounds, held exactly
    ok = f"{x} IS NOT NULL"
    if not column.signed:
        ok += f" AND {x} >= 0"
    if t == "int":
        ok += f" AND {x} <= {int(bound)}" + ("" if not column.signed else f" AND {x} >= -{int(bound)}")
        limit = f"of at most {bound_text(bound)}"
    elif t == "number":
        # a non-zero text that a double holds as 0 ('1e-400'): only zeros pay for the regex
        ok += f" AND abs({x}) <= {float(bound)!r} AND ({x} <> 0 OR NOT regexp_matches({v}, '^[^eE]*[1-9]'))"
        limit = f"of at most {bound_text(bound)}"
    else:
        # the common case first: no exponent, and no point, at most scale + 1 bytes or at most
        # scale digits after the point, cannot need more than ``scale`` places (strlen and
        # strpos are cheap; rtrim's copy is not); otherwise count them exactly
        no_exponent = f"NOT contains({v}, 'e') AND NOT contains({v}, 'E')"
        ok += (f" AND (({no_exponent} AND (strlen({v}) <= {scale + 1} OR NOT contains({v}, '.')"
               f" OR strlen({v}) - strpos({v}, '.') <= {scale})) OR {decimal_places(v)} <= {scale})")
        if t == "decimal" or column.maximum is not None:
            ok += f" AND abs({x}) < {int(bound)}"
        limit = f"below {bound_text(bound)} ({sql_type})"
    never_rounded = f"`{column.template_header}` holds at most {scale}: {sql_type}"
    fix_format = "Write digits with an optional decimal point and exponent (1234.56, 0.5, 1.2e-8); " \
                 "leave the cell empty when unknown."
    not_grammar = [
        (f"regexp_matches({v}, '^\\s|\\s$')", f"'{expected} without spaces around it, ' || {got(v)}",
         "Remove the spaces before and after the number."),
        (f"regexp_full_match({v}, {quote_literal(THOUSANDS)})",
         f"'{expected} without thousands separators, ' || {got(v)}",
         "Remove the thousands separators: write 1234.56, not 1,234.56."),
        (f"regexp_full_match({v}, {quote_literal(DECIMAL_COMMA)})",
         f"'{expected} with a decimal point, ' || {got(v)}",
         "Write the decimal part after a point: 1234.56, not 1234,56 or 1.234,56."),
        (f"regexp_matches({v}, '[$€£¥]')", f"'{expected} without a currency sign, ' || {got(v)}",
         "Remove the currency sign: write 100, not $100."),
        (f"regexp_matches({v}, '^[+-]?0[xXbBoO]')", f"'{expected} in decimal digits, ' || {got(v)}",
         "Write the number in decimal digits: 16, not 0x10."),
        (f"contains({v}, '_')", f"'{expected} without ''_'' separators, ' || {got(v)}",
         "Remove the underscores: write 1000, not 1_000."),
        (f"regexp_full_match(lower({v}), '[+-]?(nan|inf|infinity)')", f"'expected a finite number, ' || {got(v)}",
         "NaN and infinity cannot be stored; fix or remove the row (leave the cell empty when unknown)."),
    ]
    if t == "int":
        not_grammar += [
            (f"regexp_full_match({v}, {quote_literal(NUMBER_RE)}) AND (contains({v}, 'e') OR contains({v}, 'E'))",
             f"'expected a whole number in plain digits, ' || {got(v)}", "Write counts in digits: 1000, not 1e3."),
            (f"regexp_full_match({v}, {quote_literal(NUMBER_RE)})",
             f"'expected a whole number, ' || {got(v)}", "Counts have no decimals."),
        ]
    not_grammar.append(("true", f"'{expected}, ' || {got(v)}", fix_format))
    bounds = []
    if not column.signed:
        bounds.append((f"{as_double} < 0", f"'expected {kind_word} ≥ 0, ' || {got(v)}",
                       "Costs and counts cannot be negative; record refunds as a separate benefit or credit line."))
    if t in ("money", "decimal"):
        bounds.append((f"NOT coalesce({decimal_places(v)} <= {scale}, false) AND isfinite({as_double})"
                       f" AND abs({as_double}) < {float(bound)!r}",
                       f"'more than {scale} decimal places, ' || {got(v)} || ' ({never_rounded})'",
                       f"Round it to {scale} decimal places yourself, or fix the exponent; "
                       "values are never rounded silently."))
    if t == "number":
        bounds.append((f"{x} = 0", f"'too close to zero to store, ' || {got(v)} || ' (a double would hold 0)'",
                       "Write 0 if it is zero; otherwise check the exponent."))
    finite = "a finite number" if t == "number" else kind_word
    bounds.append(("true", f"'expected {finite} {limit}, ' || {got(v)}",
                   "Check the value (an extra digit, a wrong exponent?): larger values cannot be stored "
                   "and summed safely."))
    inner = " ".join(f"WHEN {cond} THEN {msg(message, hint)}" for cond, message, hint in not_grammar)
    outer = " ".join(f"WHEN {cond} THEN {msg(message, hint)}" for cond, message, hint in bounds)
    diagnosis = (f"CASE WHEN NOT regexp_full_match({v}, {grammar}) THEN CASE {inner} END "
                 f"ELSE CASE {outer} END END")
    return value, problem(ok, diagnosis)
