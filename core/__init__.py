"""Factory Floor core: the domain, importable and testable without Streamlit.

Nothing in this package may import ``streamlit``, ``ui`` or ``pages``.
"""
