"""Users can be disabled (and enabled again) instead of deleted: their audit trail stays theirs."""

STATEMENTS = (
    """ALTER TABLE app_user ADD COLUMN disabled BOOLEAN DEFAULT false""",
    """UPDATE app_user SET disabled = false WHERE disabled IS NULL""",
)
