"""Regenerate every tests/golden/*.json file of cxkpi from independent references.

Needs: R (r-base-core) with the survey package (r-cran-survey), and Python with scipy, statsmodels, numpy.
Usage:  GOLDEN_OUT=/path/to/tests/golden python derive_all.py   (default output: ./out)
Takes a few minutes (one Rscript process per R computation)."""
import sys

import gen_grouped_partials
import gen_means
import gen_nps
import gen_proportions
import gen_topbox_sentiment
from common import RV, SCIPY, SM, NUMPY, SURVEY

total = 0
for mod in (gen_proportions, gen_nps, gen_means, gen_topbox_sentiment, gen_grouped_partials):
    for fn in mod.ALL:
        total += fn()
print(f"total cases: {total}; tools: {SURVEY()}, {SCIPY}, {SM}, {NUMPY}", file=sys.stderr)
