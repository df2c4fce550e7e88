"""Regenerate tests/golden/weighting/*.json (cxkpi survey weighting) from independent references.

Needs: R (r-base-core) with the survey and MASS packages (Debian: r-cran-survey, r-cran-mass; survey's
calibrate() calls MASS::ginv), and Python 3 with numpy and scipy.  Nothing here imports cxkpi.
Usage:  python derive_all.py            (writes ../*.json and derive_log.txt next to this file)
        GOLDEN_OUT=/some/dir python derive_all.py
Takes about a minute (one Rscript process per R computation)."""
import os
import sys
import warnings

import numpy as np
import scipy

import gen_calibrate
import gen_diagnostics
import gen_poststratify
import gen_rake
import gen_trim
from wcommon import LOG, SURVEY, versions

warnings.filterwarnings("ignore", category=RuntimeWarning)   # the numpy cross-check solvers probe overflowing steps
np.seterr(all="ignore")

total = 0
counts = {}
for mod in (gen_rake, gen_poststratify, gen_calibrate, gen_trim, gen_diagnostics):
    for fn in mod.ALL:
        n = fn()
        counts[mod.__name__] = n
        total += n
head = (f"tools: {SURVEY()} (MASS {versions()[2]}), numpy {np.__version__}, scipy {scipy.__version__}\n"
        f"cases: {counts} total {total}\n")
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "derive_log.txt"), "w") as fh:
    fh.write(head + "\n".join(LOG) + "\n")
print(head, file=sys.stderr)
