"""The upload kinds: one module per kind, each defining its ``KIND``; ``KINDS`` lists them all,
in the order the Imports page offers them. Adding a kind is one module plus one line here."""

from core.ingest.kinds import financials, focus, initiatives, prices, snapshots, usage

KINDS = (initiatives.KIND, financials.KIND, prices.KIND, usage.KIND, focus.KIND, snapshots.KIND)
