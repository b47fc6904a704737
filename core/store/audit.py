"""The audit log: every write leaves one event (written by ``Store.write``); this reads it."""

from __future__ import annotations

import pandas as pd

MAX_AUDIT_ROWS = 1_000


def recent_audit_events(store, *, actor: str | None = None, action_prefix: str | None = None,
                        limit: int = 200) -> pd.DataFrame:
    """Newest first: ts, actor, role, action, target, detail. ``limit`` is capped at 1,000."""
    limit = max(1, min(int(limit), MAX_AUDIT_ROWS))
    return store.frame(
        """
        SELECT ts, actor, role, action, target, detail::VARCHAR AS detail FROM audit_event
        WHERE ($actor IS NULL OR actor = $actor)
          AND ($prefix IS NULL OR starts_with(action, $prefix))
        ORDER BY id DESC LIMIT $limit
        """,
        {"actor": actor, "prefix": action_prefix, "limit": limit},
    )


def audit_actions(store) -> list[str]:
    """Distinct action families ('user', 'import', 'demo', …) for the filter."""
    return [r[0] for r in store.rows("SELECT DISTINCT split_part(action, '.', 1) AS family FROM audit_event ORDER BY 1")]
