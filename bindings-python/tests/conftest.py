"""pytest setup: the tests import the installed cxkpi wheel; golden_runner sits beside them."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
