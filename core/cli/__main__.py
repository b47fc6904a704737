"""``python -m core.cli`` runs the ``factory`` command."""

import sys

from core.cli import main

sys.exit(main())
