"""Factory Floor — the server: Streamlit's ``st.App`` serving the dashboard (``dashboard.py``).

Run with ``make run`` (or ``streamlit run app.py``, which finds ``app`` below and serves it;
``python app.py`` does the same). Around Streamlit's own routes it adds (``ui/server.py``):

* a lifespan that opens the store once, when the server starts, for every session and route
  (``$FACTORY_DB`` or ``data/factory.duckdb``, filled with the demo organisation when missing);
* ``UploadGuard``, which takes an uploaded file only from a signed-in session whose role may
  upload, within a per-session limit (``FACTORY_MAX_SESSION_UPLOAD_MB``).
"""

import streamlit as st
from starlette.middleware import Middleware

from ui.server import UploadGuard, lifespan

app = st.App("dashboard.py", lifespan=lifespan, middleware=[Middleware(UploadGuard)])

if __name__ == "__main__":
    app.run()
