"""`python -m textmend ...`: the same as the `textmend` command."""

import sys

from textmend.cli import main

sys.exit(main())
