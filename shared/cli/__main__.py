"""``python -m shared.cli``: the ``motcua`` command, for child processes."""

import sys

from shared.cli.main import main

sys.exit(main())
