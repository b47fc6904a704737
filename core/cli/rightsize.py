"""``factory rightsize``: right-size a workload from the command line.

    factory rightsize --data workload.csv --target churned [--task classification]
        [--tolerance 0.95] [--latency-budget-ms 2] [--profile cloud-cpu-4]
        [--onnx a.onnx [--onnx b.onnx ...]] [--db PATH] [--json]

Prints a table and the recommendation sentence, or with ``--json`` one object (see
``LabReport.to_dict``). Exit 0 when the run completed (even if no candidate qualifies);
unreadable files, unknown target columns or profiles raise ``CoreError`` → exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli.options import add_db_option, add_json_option, open_store_at, print_json, resolve_db
from core.errors import CoreError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "rightsize", help="train a ladder of models on a workload and recommend the cheapest good enough",
        description="Train candidate models from tiny to large, measure them under ONNX Runtime and "
                    "recommend the cheapest one within a tolerance of the best quality.")
    parser.add_argument("--data", type=Path, required=True, help="workload file: CSV, Parquet or xlsx")
    parser.add_argument("--target", required=True, help="column to predict")
    parser.add_argument("--task", choices=("classification", "regression"), default=None,
                        help="default: inferred from the target column")
    parser.add_argument("--tolerance", type=float, default=0.95,
                        help="share of the best quality a candidate must reach (default 0.95)")
    parser.add_argument("--latency-budget-ms", type=float, default=None,
                        help="single-row p95 latency a candidate must meet")
    parser.add_argument("--profile", default="cloud-cpu-4", help="hardware profile to price on")
    # "extend": `--onnx a.onnx --onnx b.onnx` and `--onnx a.onnx b.onnx` both evaluate every file
    # (with nargs="*" and the default "store", a second --onnx silently replaced the first)
    parser.add_argument("--onnx", type=Path, nargs="+", action="extend", default=[], metavar="FILE",
                        help="ONNX model to compare with the ladder (checked before use); repeat the option "
                             "or list several files")
    parser.add_argument("--today", type=Path, default=None, metavar="FILE",
                        help="ONNX file of the model in production today: measured first, on the same basis, "
                             "and marked as `today` in the report")
    parser.add_argument("--ladder", choices=("full", "quick"), default="full", help=argparse.SUPPRESS)
    add_db_option(parser)
    add_json_option(parser)
    parser.set_defaults(handler=run)


def profiles_for(db_path: Path | None):
    """Hardware profiles to price on: the store's, once it has them; the defaults until then.

    With ``--db`` pointing at an existing store, its ``hardware_profile`` rows (opened, read,
    closed again); without a database, or with an empty profile table, ``DEFAULT_PROFILES``.
    """
    from core.rightsize.pricing import DEFAULT_PROFILES

    if db_path is None or not Path(db_path).is_file():
        return DEFAULT_PROFILES
    from core.lab.runs import hardware_profiles

    store = open_store_at(db_path)
    try:
        return hardware_profiles(store)
    finally:
        store.close()


def _read_upload(path: Path) -> tuple[str, bytes]:
    try:
        return path.name, path.read_bytes()
    except OSError as error:
        raise CoreError(f"ONNX file {path}: cannot be read ({error.strerror}). Check the path.") from error


def run(args: argparse.Namespace) -> int:
    from core.rightsize.config import LabConfig
    from core.rightsize.lab import run_lab
    from core.lab.workloads import read_workload_file

    config = LabConfig(tolerance=args.tolerance, latency_budget_ms=args.latency_budget_ms,
                       profile=args.profile, task=args.task, ladder=args.ladder)
    frame = read_workload_file(args.data)
    uploads = [_read_upload(path) for path in args.onnx]
    today = _read_upload(args.today) if args.today else None

    def progress(step: str, done: int, total: int) -> None:
        if not args.json:
            print(f"[{done}/{total}] {step}", file=sys.stderr)

    report = run_lab(frame, args.target, config, uploads=uploads, today=today, profiles=profiles_for(resolve_db(args)),
                     on_progress=progress, workload_name=args.data.name)
    if args.json:
        print_json(report.to_dict())
    else:
        print(format_report(report))
    return 0


def format_report(report) -> str:
    """A plain-text table of the candidates, the recommendation and the assumptions."""
    from core.rightsize.quality import METRIC_LABELS

    metric = METRIC_LABELS.get(report.metric, report.metric)
    lines = [f"{report.task} of `{report.target}`: {report.rows_train:,} training rows, "
             f"{report.rows_test:,} held-out rows; quality = {metric}; priced on {report.profile}.", ""]
    header = (f"{'candidate':<46} {'status':<8} {metric:>8} {'95% CI':>15} {'p95 ms':>8} {'rows/s':>11} "
              f"{'size KB':>9} {'$ per 1M':>10}")
    lines += [header, "-" * len(header)]
    for c in report.candidates:
        cost = c.cost_on(report.profile)
        has_ci = c.quality_ci is not None and None not in c.quality_ci
        ci = f"{c.quality_ci[0]:.3f}–{c.quality_ci[1]:.3f}" if has_ci else ""
        flag = " *" if c.name == report.recommended else ""
        lines.append(
            f"{(c.name + flag)[:46]:<46} {c.status:<8} "
            f"{'' if c.quality is None else f'{c.quality:.4f}':>8} {ci:>15} "
            f"{'' if c.latency is None else f'{c.latency.p95_ms:.4f}':>8} "
            f"{'' if c.throughput_rps is None else f'{c.throughput_rps:,.0f}':>11} "
            f"{'' if c.size_bytes is None else f'{c.size_bytes / 1024:,.1f}':>9} "
            f"{'' if not cost or cost.cost_per_1m_usd is None else f'{cost.cost_per_1m_usd:.3g}':>10}")
        if c.reason:
            lines.append(f"    {c.reason}")
    lines += ["", report.sentence]
    if report.notes:
        lines += ["", "Notes:"] + [f"  - {note}" for note in report.notes]
    lines += ["", "Assumptions:"] + [f"  - {sentence}" for sentence in report.assumptions]
    return "\n".join(lines)
