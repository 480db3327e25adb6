"""``python -m retention_xl …`` is the same as ``retention-xl …``."""

import sys

from retention_xl.cli import main

if __name__ == "__main__":
    sys.exit(main())
