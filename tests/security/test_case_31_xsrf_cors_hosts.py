"""Case 31 — XSRF, CORS and Host headers: the shipped server configuration keeps Streamlit's
protections on (XSRF, CORS, no static folder, no error details, bounded uploads and messages, a
host allow-list), and the running server refuses a websocket from a host it does not serve."""

from __future__ import annotations

import http.client
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_shipped_configuration_keeps_streamlits_protections_on():
    server = tomllib.loads(CONFIG.read_text())["server"]
    client = tomllib.loads(CONFIG.read_text())["client"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server.get("enableStaticServing", False) is False
    assert client["showErrorDetails"] in ("none", False)
    assert 0 < server["maxUploadSize"] <= 200
    assert 0 < server.get("maxMessageSize", 200) <= 200
    assert server["allowedHosts"] and "*" not in server["allowedHosts"]


def _websocket_handshake(base: str, host: str) -> int:
    address = urlparse(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    connection.request("GET", "/_stcore/stream", headers={
        "Host": f"{host}:{address.port}", "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Protocol": "streamlit"})
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize("host, allowed", [("127.0.0.1", True), ("localhost", True),
                                           ("evil.example", False), ("127.0.0.1.evil.example", False)])
def test_the_server_answers_only_the_hosts_it_is_configured_for(served_app, host, allowed):
    status = _websocket_handshake(served_app, host)
    assert (status == 101) is allowed, status
