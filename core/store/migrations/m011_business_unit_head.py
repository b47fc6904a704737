"""A business unit gets a head: the person an executive asks about the unit's AI (admins edit it)."""

STATEMENTS = (
    """ALTER TABLE business_unit ADD COLUMN head VARCHAR""",
)
