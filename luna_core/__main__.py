"""``python -m luna_core``: the command line (see ``luna_core.cli``)."""

import sys

from luna_core.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
