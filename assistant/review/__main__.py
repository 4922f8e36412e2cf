"""Run `python -m assistant.review` (see assistant/review/cli.py)."""

import sys

from assistant.review.cli import main

sys.exit(main())
