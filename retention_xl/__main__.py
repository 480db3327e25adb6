"""``python -m retention_xl …`` is the same as ``retention-xl …``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
