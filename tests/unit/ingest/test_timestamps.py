"""The fast path's timestamps (DuckDB's reader with a strptime format sniffed from the first row)
never accept what the text path rejects, nor read a value differently.

Thousands of mutations of well-formed timestamps (digits dropped, doubled or replaced; spaces,
tabs, signs, letters, the words strptime knows) are read both ways: every line the typed
reader parses inside ``FAST_TS_RANGE`` must be accepted by the text path with the same value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest

from core.ingest import get_kind
from core.ingest.reader import stage_upload
from core.ingest.fast_path import TIMESTAMP_FORMATS
from core.ingest.validate import FAST_TS_RANGE, build_typed, match_headers

SEEDS = {"%Y-%m-%d %H:%M:%S": "2026-01-05 10:00:00", "%Y-%m-%dT%H:%M:%S": "2026-12-31T23:59:59",
         "%Y-%m-%dT%H:%M:%SZ": "2026-01-05T10:00:00Z", "%Y-%m-%d %H:%M:%SZ": "2026-07-15 03:04:05Z"}
PIECES = list("0123456789 -:T+Z.\t") + ["", "  ", "e", "１", " BC", "epoch", "infinity", "-infinity", "now", "t", "z"]


def _mutations(seed: str, count: int, rng: random.Random) -> list[str]:
    out = {seed}
    while len(out) < count:
        chars = list(seed)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(chars) + 1)
            roll = rng.random()
            if roll < 0.33 and chars:
                del chars[min(at, len(chars) - 1)]
            elif roll < 0.66:
                chars.insert(at, rng.choice(PIECES))
            elif chars:
                chars[min(at, len(chars) - 1)] = rng.choice(PIECES)
        out.add("".join(chars))
    return sorted(out)


def _text_path(store, values: list[str]) -> dict[str, object]:
    """value -> the text path's timestamp, or None when it reports a problem."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["ts", "initiative", "model"])
    writer.writerows([value, "COA-01", "m"] for value in values)
    kind = get_kind("usage")
    with store.cursor() as cur:
        raw = stage_upload(cur, store.staging_dir, "t.csv", buffer.getvalue().encode())
        build_typed(cur, kind, match_headers(kind, raw))
        rows = cur.execute("SELECT _row, ts, _p_ts FROM upload_typed ORDER BY _row").fetchall()
        cur.execute("DROP TABLE upload_typed")
        cur.execute("DROP TABLE upload_problem")
    return {values[row - 2]: (None if problem is not None else ts) for row, ts, problem in rows}


@pytest.mark.parametrize("fmt", [fmt for _pattern, fmt in TIMESTAMP_FORMATS])
def test_whatever_the_typed_reader_accepts_the_text_path_accepts_with_the_same_value(store, fmt, tmp_path):
    assert fmt in SEEDS
    values = [v for v in _mutations(SEEDS[fmt], 4000, random.Random(fmt)) if "\n" not in v and '"' not in v]
    path = store.staging_dir / "fuzz.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([[v] for v in ["ts", *values]])
    low, high = FAST_TS_RANGE
    with store.cursor() as cur:
        parsed = cur.execute(
            "SELECT c0 FROM read_csv(?, header = false, skip = 1, quote = '\"', nullstr = ['', 'NULL'],"
            " timestampformat = ?, columns = {'c0': 'TIMESTAMP'}, store_rejects = true)", [str(path), fmt]).fetchall()
        rejected = {line for (line,) in cur.execute("SELECT line FROM reject_errors").fetchall()}
        cur.execute("DROP TABLE reject_errors")
        cur.execute("DROP TABLE reject_scans")
    path.unlink()
    accepted = [v for i, v in enumerate(values) if i + 2 not in rejected]
    assert len(accepted) == len(parsed)
    # (years past 9999 come back from DuckDB as text: outside the range anyway)
    fast = {v: ts for v, (ts,) in zip(accepted, parsed) if isinstance(ts, dt.datetime) and low <= ts.isoformat() < high}
    assert len(fast) > 50  # the fuzz reaches well-formed variants, not only junk
    text = _text_path(store, list(fast))
    wrong = {v: (ts, text[v]) for v, ts in fast.items() if text[v] != ts}
    assert wrong == {}
