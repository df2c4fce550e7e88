"""Seeded synthetic CX survey for the weighting golden cases (numpy default_rng)."""
import numpy as np

def cx_survey(seed=20240603, n=150, sparse_n=3):
    rng = np.random.default_rng(seed)
    m = n - sparse_n
    seg = rng.choice(3, size=m, p=[0.5, 0.3, 0.2])
    seg = np.concatenate([seg, np.full(sparse_n, 3)])
    # region depends a little on segment, channel on segment
    region = np.array([rng.choice(4, p=[0.4, 0.3, 0.2, 0.1] if s < 2 else [0.2, 0.2, 0.3, 0.3]) for s in seg])
    channel = np.array([rng.choice(3, p=[0.6, 0.3, 0.1] if s != 1 else [0.3, 0.4, 0.3]) for s in seg])
    perm = rng.permutation(n)
    seg, region, channel = seg[perm], region[perm], channel[perm]
    base = np.round(rng.uniform(0.5, 2.0, size=n), 3)
    return seg.astype(int), region.astype(int), channel.astype(int), base

N = 20000.0
SEG_SHARE = [0.40, 0.28, 0.18, 0.14]
REG_SHARE = [0.30, 0.25, 0.25, 0.20]
CHAN_SHARE = [0.50, 0.30, 0.20]
