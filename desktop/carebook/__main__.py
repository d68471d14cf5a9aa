"""`python -m carebook` is the same door as the `carebook` command."""

import sys

from carebook.cli import main

sys.exit(main())
