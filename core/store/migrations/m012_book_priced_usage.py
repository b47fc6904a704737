"""Usage rows remember whether the price book priced them, so a new price can re-price them.

``usage_event.cost_from_book``: TRUE when the row came without ``cost_usd`` and its cost was
computed from ``model_price`` (the price valid at the row's timestamp), FALSE when the file
gave the cost. Re-pricing (``core.finance.price_book.reprice_from``) rewrites only TRUE rows:
a cost a file stated (a vendor's invoice line, a gateway's own figure) is never rewritten.

Rows already in the store read FALSE: which of them the book priced was not recorded, and the
safe reading is "kept as imported" (a re-price never touches them).
"""

STATEMENTS = (
    """ALTER TABLE usage_event ADD COLUMN cost_from_book BOOLEAN DEFAULT FALSE""",
)
