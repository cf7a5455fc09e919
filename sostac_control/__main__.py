"""`python -m sostac_control` is the same as the `sostac-control` command."""

import sys

from sostac_control.cli import main

sys.exit(main())
