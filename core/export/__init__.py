"""Exports: files built from the store for people outside the app (the board pack)."""
