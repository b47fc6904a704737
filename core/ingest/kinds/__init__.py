"""One module per upload kind; each registers itself with ``core.ingest.registry.register``."""
