"""``python -m stance`` runs the command-line interface."""

import sys

from stance.cli import main

sys.exit(main())
