"""``factory drift``: data drift between two files (CSV, Parquet or xlsx), per column.

    factory drift --reference ref.parquet --current cur.csv \\
        [--method COLUMN=METHOD ...] [--threshold COLUMN=VALUE ...] [--drift-share 0.5] [--json]

Files (CSV, Parquet or xlsx) come in through the file intake (``core.store.intake``: size limit,
content sniffed, read by a locked-down in-memory DuckDB) and are handed to :func:`core.drift.compute_drift` as Arrow tables. Bad input raises
:class:`core.drift.DriftInputError`; the dispatcher prints its one line and exits 2.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pyarrow as pa

from core.cli.options import add_json_option, print_json
from core.config import setting
from core.drift import METHODS, DriftInputError, DriftReport, compute_drift
from core.store.intake import file_format, read_local_table

def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "drift", help="data drift between a reference and a current file",
        description="Compare every column two CSV/Parquet/xlsx files share; methods: " + ", ".join(METHODS),
    )
    parser.add_argument("--reference", required=True, type=Path, help="reference window (CSV, Parquet or xlsx)")
    parser.add_argument("--current", required=True, type=Path, help="current window (CSV, Parquet or xlsx)")
    parser.add_argument("--method", action="append", default=[], metavar="COLUMN=METHOD",
                        help=f"method for one column ({', '.join(METHODS)}); repeatable")
    parser.add_argument("--threshold", action="append", default=[], metavar="COLUMN=VALUE",
                        help="threshold for one column (p-value level or distance); repeatable")
    parser.add_argument("--drift-share", type=float, default=0.5,
                        help="dataset drift when at least this share of columns drifts (default 0.5)")
    add_json_option(parser)
    parser.set_defaults(handler=run)


def parse_assignments(option: str, items: list[str], example: str) -> dict[str, str]:
    """``["a=ks", "b=psi"]`` → ``{"a": "ks", "b": "psi"}``; the error shows the expected form."""
    parsed: dict[str, str] = {}
    for item in items:
        column, sep, value = item.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise DriftInputError(
                f"{option} {item!r}: expected COLUMN=VALUE, e.g. {option} {example}."
            )
        parsed[column.strip()] = value.strip()
    return parsed


def _parse_thresholds(items: list[str]) -> dict[str, float]:
    thresholds = {}
    for column, text in parse_assignments("--threshold", items, "age=0.2").items():
        try:
            thresholds[column] = float(text)
        except ValueError:
            raise DriftInputError(
                f"--threshold {column}={text}: expected a number, e.g. --threshold {column}=0.2."
            ) from None
    return thresholds


def read_table(path: Path, side: str) -> pa.Table:
    """Read a CSV, Parquet or xlsx file into an Arrow table through the file intake (size limit
    ``FACTORY_MAX_WORKLOAD_MB``, content sniffed, read by a locked-down scratch DuckDB)."""
    try:
        file_format(path.name, error_type=DriftInputError)
        if not path.is_file():
            raise DriftInputError("no such file.")
        return read_local_table(path, max_bytes=setting("FACTORY_MAX_WORKLOAD_MB"), what="drift files", arrow=True,
                                error_type=DriftInputError)
    except DriftInputError as error:
        raise DriftInputError(f"{side} file {str(path)!r} cannot be read: {error}") from None


def _fmt(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "-"
    if math.isinf(value):
        return "inf"
    return f"{value:.{digits}g}"


def format_table(report: DriftReport) -> str:
    """A plain-text table of the report, one line per column, then the dataset verdict."""
    header = ("column", "type", "method", "statistic", "p-value", "threshold", "status")
    rows = [
        (c.column, c.column_type, c.method, _fmt(c.statistic), _fmt(c.p_value), _fmt(c.threshold), c.status)
        for c in report.columns
    ]
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in (header, *rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    evaluated = sum(c.status != "no data" for c in report.columns)
    lines.append("")
    lines.append(
        f"{report.n_drifted} of {evaluated} columns drifted ({report.drift_share:.0%}); "
        f"dataset drift: {'yes' if report.dataset_drift else 'no'} "
        f"(threshold {report.drift_share_threshold:.0%}); "
        f"{report.n_reference} reference rows, {report.n_current} current rows."
    )
    if report.skipped_columns:
        lines.append(f"skipped (unsupported type): {', '.join(report.skipped_columns)}")
    return "\n".join(lines)


def _json_payload(report: DriftReport) -> dict:
    full = report.to_dict()
    keys = ("column", "type", "method", "statistic", "p_value", "threshold", "drifted", "status")
    return {
        "columns": [{k: c[k] for k in keys} for c in full["columns"]],
        "drift_share": full["drift_share"],
        "dataset_drift": full["dataset_drift"],
        "n_reference": full["n_reference"],
        "n_current": full["n_current"],
    }


def run(args: argparse.Namespace) -> int:
    """Handler of ``factory drift``; returns 0 (bad input raises ``DriftInputError``)."""
    methods = parse_assignments("--method", args.method, "age=psi")
    thresholds = _parse_thresholds(args.threshold)
    reference = read_table(args.reference, "reference")
    current = read_table(args.current, "current")
    report = compute_drift(reference, current, method_overrides=methods,
                           threshold_overrides=thresholds, drift_share=args.drift_share)
    if args.json:
        print_json(_json_payload(report))
    else:
        print(format_table(report))
    return 0
