"""Draws docs/img/control-chart.svg: an individuals chart of a daily NPS series with its 3-sigma limits,
the 1- and 2-sigma zones, and the points where Western Electric rules 1 and 4 and a CUSUM fire.

Pure Python (standard library only), seeded, so the picture is reproducible:

    python3 docs/make_chart_svg.py            # writes docs/img/control-chart.svg

The series is synthetic: 120 days of NPS around 30 (sd 6) from a fixed seed, a 9-point drop of 1.5 sd from
day 80 (an outage) and one wild day at 45. Phase I (centre and sigma) is the first 60 days: mean and
MR-bar / d2 with d2 = 2/sqrt(pi), the same conventions as cxkpi.baseline.charts.individuals_chart.
"""

import math
import os
import random

D2 = 2 / math.sqrt(math.pi)
rng = random.Random(20261123)
x = [30 + rng.gauss(0, 6) for _ in range(120)]
for i in range(80, 120):
    x[i] -= 9
x[45] = 30 + 4.2 * 6

ref = x[:60]
mu = sum(ref) / len(ref)
sigma = sum(abs(ref[i] - ref[i - 1]) for i in range(1, len(ref))) / (len(ref) - 1) / D2
z = [(v - mu) / sigma for v in x]

# Western Electric 1 (|z| > 3) and 4 (8 in a row on one side), every point where the pattern holds
we1 = [i for i, v in enumerate(z) if abs(v) > 3]
we4, run, side = [], 0, 0
for i, v in enumerate(z):
    s = (v > 0) - (v < 0)
    run = run + 1 if s != 0 and s == side else (1 if s != 0 else 0)
    side = s
    if run >= 8:
        we4.append(i)
# two-sided CUSUM k = 0.5, h = 4 (sigma units), reset after a signal
cus, cp, cm = [], 0.0, 0.0
for i, v in enumerate(z):
    cp, cm = max(0.0, cp + v - 0.5), max(0.0, cm - v - 0.5)
    if cp > 4:
        cus.append(i); cp = 0.0
    if cm > 4:
        cus.append(i); cm = 0.0

W, H, L, R, T, B = 900, 420, 60, 170, 30, 50
lo, hi = mu - 4.5 * sigma, mu + 4.5 * sigma
px = lambda i: L + (W - L - R) * i / (len(x) - 1)
py = lambda v: T + (H - T - B) * (hi - v) / (hi - lo)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
       'font-family="Helvetica, Arial, sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>']
for k, shade in ((3, "#fdecea"), (2, "#fff7e0"), (1, "#eef7ee")):
    out.append(f'<rect x="{L}" y="{py(mu + k * sigma):.1f}" width="{W - L - R}" '
               f'height="{py(mu - k * sigma) - py(mu + k * sigma):.1f}" fill="{shade}"/>')
out.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#999"/>')
out.append(f'<rect x="{L}" y="{T}" width="{px(59) - L:.1f}" height="{H - T - B}" fill="#3366cc" opacity="0.06"/>')
out.append(f'<text x="{L + 6}" y="{T + 14}" fill="#3366cc">phase I (centre, sigma = MR/d2)</text>')
for k, dash, lab in ((0, "", "centre"), (3, "6,4", "UCL +3σ"), (-3, "6,4", "LCL −3σ")):
    yv = py(mu + k * sigma)
    out.append(f'<line x1="{L}" y1="{yv:.1f}" x2="{W - R}" y2="{yv:.1f}" stroke="#555" stroke-dasharray="{dash}"/>')
    out.append(f'<text x="{W - R + 6}" y="{yv + 4:.1f}">{lab} {mu + k * sigma:.1f}</text>')
pts = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(x))
out.append(f'<polyline points="{pts}" fill="none" stroke="#333" stroke-width="1.2"/>')
for i, v in enumerate(x):
    out.append(f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="2.2" fill="#333"/>')
for i in we4:
    out.append(f'<circle cx="{px(i):.1f}" cy="{py(x[i]):.1f}" r="5" fill="none" stroke="#e69f00" stroke-width="2"/>')
for i in we1:
    out.append(f'<circle cx="{px(i):.1f}" cy="{py(x[i]):.1f}" r="6" fill="#d62728" opacity="0.8"/>')
for i in cus:
    out.append(f'<path d="M{px(i):.1f},{H - B + 4} l-5,10 h10 z" fill="#0072b2"/>')
for t in range(0, 121, 20):
    tx = px(min(t, 119))
    out.append(f'<text x="{tx:.1f}" y="{H - B + 28}" text-anchor="middle">day {t}</text>')
leg = [("#d62728", "Western Electric 1: beyond 3σ"), ("#e69f00", "Western Electric 4: 8 in a row"),
       ("#0072b2", "CUSUM k=0.5, h=4 signal")]
for j, (c, lab) in enumerate(leg):
    out.append(f'<circle cx="{W - R + 12}" cy="{T + 110 + 22 * j}" r="5" fill="{c}"/>')
    out.append(f'<text x="{W - R + 22}" y="{T + 114 + 22 * j}" font-size="10">{lab}</text>')
out.append(f'<text x="{L}" y="{H - 6}" fill="#555">Daily NPS (synthetic): a wild day at 45, an outage '
           'from day 80 (−1.5σ). Drawn by docs/make_chart_svg.py.</text>')
out.append("</svg>")
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "img", "control-chart.svg")
with open(path, "w") as f:
    f.write("\n".join(out) + "\n")
print(f"wrote {path}: WE1 at {we1}, WE4 at {len(we4)} points from {we4[:1]}, CUSUM at {cus}")
