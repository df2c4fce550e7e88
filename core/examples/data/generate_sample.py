#!/usr/bin/env python3
"""Generate the cxkpi sample customer-experience survey (``cx_survey_sample.csv``).

Synthetic, seeded and reproducible: the same seed gives a byte-identical file
(standard library only: random, csv, datetime, argparse). Tested with CPython 3.9-3.12.

    python3 generate_sample.py                  # writes the two CSV files beside this script
    python3 generate_sample.py --summary        # also prints the facts quoted in README.md
    python3 generate_sample.py --check          # regenerate in memory, compare with the files on disk

Outputs
-------
cx_survey_sample.csv
    50,000 survey responses, 2024-01-01 .. 2025-12-31 (8 quarters), one row per response:
    response_id, date, customer_id, segment, region, channel, product_line, nps, csat, ces, sentiment.
    A missing answer is an empty field.
cx_survey_sample_invalid.csv
    The manifest of the deliberately invalid rows: response_id, column, value, defect.
    Every invalid row has exactly one defect; a validator must report exactly these.

How a response is made (see README.md for the numbers this produces)
----------------------------------------------------------------------
1. Volume: rows per quarter grow with the business (QUARTER_WEIGHTS); the day within a quarter is
   uniform over days, with weekends at 40 % of a weekday's volume.
2. Who answers: segment by SEGMENT_WEIGHTS (unbalanced: Consumer and SMB dominate), region by
   REGION_WEIGHTS (EMEA gets 25 % more responses in 2025-Q2: the outage complaint surge), then a
   customer drawn from a fixed pool per (segment, region), so large accounts answer many times.
   Channel and product line depend on the segment.
3. Latent experience  z = mu + customer effect + noise, where
       mu = segment + region + channel + product + season(quarter of year) + trend(quarter index)
            + outage(date, region)
   customer effect ~ N(0, 0.35) (fixed per customer), noise ~ N(0, 1).
4. The four answers are read off z with their own noise, which makes them correlated but not
   identical: nps = round(8.1 + 2.0 z + N(0, 0.6)) clipped to 0..10; csat = round(4.05 + 0.8 z + N(0, 0.55))
   clipped to 1..5; ces (1..7, higher = easier) = round(5.2 + 0.9 z + channel ease + N(0, 0.8)) clipped;
   sentiment from 0.9 z + N(0, 0.6): positive above 0.30, negative below -0.80, else neutral.
5. Missing answers: each question independently blank (missing completely at random) with
   MISSING_RATE[question] (3 % to 5 %).
6. Invalid rows: INVALID_COUNTS rows (0.5 %) drawn at random get one planted defect each.
7. Rows are sorted by (true) date and numbered R000001 .. R050000.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import os
import random
import sys
from collections import Counter, defaultdict

SEED = 20240101
N_ROWS = 50_000

COLUMNS = [
    "response_id", "date", "customer_id", "segment", "region", "channel",
    "product_line", "nps", "csat", "ces", "sentiment",
]

QUARTERS = [(2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4)]
# Relative response volume per quarter (growing business, a Q4 lull in survey sends).
QUARTER_WEIGHTS = [0.104, 0.114, 0.121, 0.110, 0.125, 0.140, 0.147, 0.139]

SEGMENTS = ["Enterprise", "Mid-Market", "SMB", "Consumer"]
SEGMENT_WEIGHTS = [0.07, 0.16, 0.31, 0.46]
# Latent shift per segment: Enterprise highest, SMB lowest.
SEGMENT_EFFECT = {"Enterprise": 0.40, "Mid-Market": 0.18, "SMB": -0.28, "Consumer": 0.0}
# Number of distinct customers per segment (split over regions by REGION_WEIGHTS).
CUSTOMER_POOL = {"Enterprise": 240, "Mid-Market": 1400, "SMB": 6500, "Consumer": 24000}

REGIONS = ["NA", "EMEA", "APAC", "LATAM"]
REGION_WEIGHTS = [0.41, 0.30, 0.18, 0.11]
REGION_EFFECT = {"NA": 0.08, "EMEA": 0.0, "APAC": 0.04, "LATAM": -0.12}

CHANNELS = ["email", "web", "in-app", "phone"]
CHANNEL_WEIGHTS = {  # by segment: B2B answers by email and phone, consumers in the app
    "Enterprise": [0.55, 0.20, 0.05, 0.20],
    "Mid-Market": [0.50, 0.25, 0.12, 0.13],
    "SMB":        [0.40, 0.30, 0.20, 0.10],
    "Consumer":   [0.25, 0.25, 0.45, 0.05],
}
# Phone respondents called in with a problem: lower experience, and effort is felt more.
CHANNEL_EFFECT = {"email": 0.0, "web": 0.02, "in-app": 0.08, "phone": -0.30}
CHANNEL_EASE = {"email": 0.0, "web": 0.0, "in-app": 0.35, "phone": -0.55}

PRODUCT_LINES = ["Core Platform", "Analytics", "Payments", "Mobile App"]
PRODUCT_WEIGHTS = {
    "Enterprise": [0.45, 0.35, 0.15, 0.05],
    "Mid-Market": [0.40, 0.30, 0.20, 0.10],
    "SMB":        [0.35, 0.15, 0.35, 0.15],
    "Consumer":   [0.05, 0.00, 0.35, 0.60],
}
PRODUCT_EFFECT = {"Core Platform": 0.03, "Analytics": 0.10, "Payments": -0.10, "Mobile App": 0.0}

# Seasonality by quarter of the year (Q4 holiday backlog, Q3 best) and a gentle upward trend.
SEASON_EFFECT = {1: -0.06, 2: 0.02, 3: 0.10, 4: -0.14}
TREND_PER_QUARTER = 0.025

# The planted incident: an EMEA platform outage from 2025-04-09, fixed on 2025-06-15, with the
# effect on experience fading linearly to zero by 2025-08-31.
OUTAGE_REGION = "EMEA"
OUTAGE_START = dt.date(2025, 4, 9)
OUTAGE_FIXED = dt.date(2025, 6, 15)
OUTAGE_RECOVERED = dt.date(2025, 8, 31)
OUTAGE_DEPTH = -0.70
OUTAGE_VOLUME_FACTOR = 1.25  # EMEA response volume multiplier in 2025-Q2

CUSTOMER_SD = 0.35
MISSING_RATE = {"nps": 0.030, "csat": 0.040, "ces": 0.050, "sentiment": 0.045}

# Planted invalid rows: (defect, column, value). One defect per row, 250 rows = 0.5 %.
INVALID_COUNTS = [
    ("nps_above_scale", "nps", 40),
    ("nps_below_scale", "nps", 35),
    ("nps_non_integer", "nps", 40),
    ("csat_above_scale", "csat", 45),
    ("unparseable_date", "date", 45),
    ("unknown_sentiment", "sentiment", 45),
]
INVALID_VALUE = {
    "nps_above_scale": "11",
    "nps_below_scale": "-1",
    "nps_non_integer": "7.5",
    "csat_above_scale": "6",
    "unknown_sentiment": "mixed",
}


def quarter_of(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarter_days(year: int, q: int) -> list[dt.date]:
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


def outage_effect(d: dt.date, region: str) -> float:
    if region != OUTAGE_REGION or d < OUTAGE_START or d > OUTAGE_RECOVERED:
        return 0.0
    if d <= OUTAGE_FIXED:
        return OUTAGE_DEPTH
    frac = (OUTAGE_RECOVERED - d).days / (OUTAGE_RECOVERED - OUTAGE_FIXED).days
    return OUTAGE_DEPTH * frac


def clip_round(x: float, lo: int, hi: int) -> int:
    # floor(x + 0.5): explicit half-up rounding (Python's round() is half-even)
    return max(lo, min(hi, math.floor(x + 0.5)))


def allocate(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` in proportion to `weights` (exact sum)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (counts[i] - raw[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def make_customers(rng: random.Random) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """Fixed customer pools per (segment, region): (customer_id, customer effect)."""
    ids = rng.sample(range(100_000, 1_000_000), sum(CUSTOMER_POOL.values()))
    pools: dict[tuple[str, str], list[tuple[str, float]]] = {}
    k = 0
    for seg in SEGMENTS:
        for reg, n in zip(REGIONS, allocate(CUSTOMER_POOL[seg], REGION_WEIGHTS)):
            pool = []
            for _ in range(n):
                pool.append((f"C{ids[k]}", rng.gauss(0.0, CUSTOMER_SD)))
                k += 1
            pools[(seg, reg)] = pool
    return pools


def pick_customer(rng: random.Random, pool: list[tuple[str, float]]) -> tuple[str, float]:
    # Skewed towards the front of the pool: a few accounts answer often, most rarely.
    return pool[int(len(pool) * rng.random() ** 1.6)]


def generate(seed: int = SEED, n_rows: int = N_ROWS):
    """Return (rows, invalid) where rows are lists of strings in COLUMNS order."""
    rng = random.Random(seed)
    pools = make_customers(rng)
    records = []
    for qi, ((year, q), nq) in enumerate(zip(QUARTERS, allocate(n_rows, QUARTER_WEIGHTS))):
        days = quarter_days(year, q)
        day_w = [0.4 if d.weekday() >= 5 else 1.0 for d in days]
        reg_w = [w * (OUTAGE_VOLUME_FACTOR if (r == OUTAGE_REGION and (year, q) == (2025, 2)) else 1.0)
                 for r, w in zip(REGIONS, REGION_WEIGHTS)]
        for _ in range(nq):
            d = rng.choices(days, day_w)[0]
            seg = rng.choices(SEGMENTS, SEGMENT_WEIGHTS)[0]
            reg = rng.choices(REGIONS, reg_w)[0]
            cust, cust_eff = pick_customer(rng, pools[(seg, reg)])
            chan = rng.choices(CHANNELS, CHANNEL_WEIGHTS[seg])[0]
            prod = rng.choices(PRODUCT_LINES, PRODUCT_WEIGHTS[seg])[0]
            mu = (SEGMENT_EFFECT[seg] + REGION_EFFECT[reg] + CHANNEL_EFFECT[chan]
                  + PRODUCT_EFFECT[prod] + SEASON_EFFECT[q] + TREND_PER_QUARTER * qi
                  + outage_effect(d, reg))
            z = mu + cust_eff + rng.gauss(0.0, 1.0)
            nps = clip_round(8.1 + 2.0 * z + rng.gauss(0.0, 0.6), 0, 10)
            csat = clip_round(4.05 + 0.8 * z + rng.gauss(0.0, 0.55), 1, 5)
            ces = clip_round(5.2 + 0.9 * z + CHANNEL_EASE[chan] + rng.gauss(0.0, 0.8), 1, 7)
            s = 0.9 * z + rng.gauss(0.0, 0.6)
            sent = "positive" if s > 0.30 else ("negative" if s < -0.80 else "neutral")
            answers = {"nps": str(nps), "csat": str(csat), "ces": str(ces), "sentiment": sent}
            for col, rate in MISSING_RATE.items():
                if rng.random() < rate:
                    answers[col] = ""
            records.append([d, cust, seg, reg, chan, prod,
                            answers["nps"], answers["csat"], answers["ces"], answers["sentiment"]])
    # Stable sort by date keeps the generation order within a day.
    records.sort(key=lambda r: r[0])
    rows = []
    for i, r in enumerate(records, start=1):
        rows.append([f"R{i:06d}", r[0].isoformat()] + r[1:])

    # Plant the invalid rows.
    idx = {c: i for i, c in enumerate(COLUMNS)}
    chosen = rng.sample(range(len(rows)), sum(c for _, _, c in INVALID_COUNTS))
    invalid = []
    pos = 0
    for defect, col, count in INVALID_COUNTS:
        for row_i in sorted(chosen[pos:pos + count]):
            row = rows[row_i]
            if defect == "unparseable_date":
                y, m, dd = (int(x) for x in row[idx["date"]].split("-"))
                variant = rng.randrange(4)
                if variant == 0:    # day/month/year instead of ISO
                    value = f"{dd:02d}/{m:02d}/{y}"
                elif variant == 1:  # impossible calendar day
                    value = f"{y}-02-30" if m <= 6 else f"{y}-{m:02d}-32"
                elif variant == 2:  # month 13
                    value = f"{y}-13-{dd:02d}"
                else:               # free text from a broken export
                    value = "unknown"
            else:
                value = INVALID_VALUE[defect]
            row[idx[col]] = value
            invalid.append([row[0], col, value, defect])
        pos += count
    invalid.sort(key=lambda r: r[0])
    return rows, invalid


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


# ----------------------------------------------------------------------------------------------
# A small reference validator and the summary quoted in README.md.

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
LABELS = {"positive", "neutral", "negative"}


def validate_row(row: dict[str, str]) -> list[tuple[str, str]]:
    """Return [(column, problem)] for one row read from the CSV (empty = valid)."""
    problems = []
    try:
        dt.datetime.strptime(row["date"], "%Y-%m-%d")
    except ValueError:
        problems.append(("date", "unparseable_date"))
    for col, (lo, hi) in SCALES.items():
        v = row[col]
        if v == "":
            continue
        try:
            x = float(v)
        except ValueError:
            problems.append((col, "not_a_number"))
            continue
        if x != math.floor(x):
            problems.append((col, "non_integer"))
        elif not lo <= x <= hi:
            problems.append((col, "out_of_scale"))
    if row["sentiment"] not in LABELS and row["sentiment"] != "":
        problems.append(("sentiment", "unknown_label"))
    return problems


def nps_of(values: list[int]) -> float:
    n = len(values)
    p = sum(v >= 9 for v in values)
    d = sum(v <= 6 for v in values)
    return 100.0 * (p - d) / n if n else float("nan")


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


def summary(csv_text: str) -> str:
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    out = [f"rows: {len(rows)}"]
    bad = {}
    for r in rows:
        p = validate_row(r)
        if p:
            bad[r["response_id"]] = p
    kinds = Counter()
    for r in rows:
        for col, prob in bad.get(r["response_id"], []):
            kinds[f"{col}:{prob}:{r[col]}" if prob != "unparseable_date" else f"{col}:{prob}"] += 1
    out.append(f"invalid rows: {len(bad)} ({100 * len(bad) / len(rows):.2f} %)")
    for k, v in sorted(kinds.items()):
        out.append(f"  {k}: {v}")
    out.append("missing (blank) answers: " + ", ".join(
        f"{c} {sum(r[c] == '' for r in rows)} ({100 * sum(r[c] == '' for r in rows) / len(rows):.2f} %)"
        for c in ("nps", "csat", "ces", "sentiment")))
    valid = [r for r in rows if r["response_id"] not in bad]
    for r in valid:
        y, m = int(r["date"][:4]), int(r["date"][5:7])
        r["quarter"] = f"{y}-Q{(m - 1) // 3 + 1}"

    def table(title, key):
        out.append(title)
        groups = defaultdict(list)
        cnt = Counter()
        for r in valid:
            cnt[key(r)] += 1
            if r["nps"] != "":
                groups[key(r)].append(int(r["nps"]))
        for k in sorted(cnt):
            out.append(f"  {k:<22} rows {cnt[k]:>6}  nps answers {len(groups[k]):>6}  NPS {nps_of(groups[k]):6.1f}")

    qcount = Counter()
    for r in rows:
        if r["response_id"] in bad and any(p == "unparseable_date" for _, p in bad[r["response_id"]]):
            qcount["(unparseable date)"] += 1
        else:
            y, m = int(r["date"][:4]), int(r["date"][5:7])
            qcount[f"{y}-Q{(m - 1) // 3 + 1}"] += 1
    out.append("all rows per quarter: " + ", ".join(f"{k} {v}" for k, v in sorted(qcount.items())))
    table("valid rows, NPS by quarter:", lambda r: r["quarter"])
    table("by segment:", lambda r: r["segment"])
    table("by region:", lambda r: r["region"])
    table("by channel:", lambda r: r["channel"])
    table("by product line:", lambda r: r["product_line"])
    table("by region x quarter:", lambda r: f"{r['region']} {r['quarter']}")
    out.append("distinct customers: " + str(len({r["customer_id"] for r in rows})))
    code = {"positive": 1, "neutral": 0, "negative": -1}
    comp = [r for r in valid if all(r[c] != "" for c in ("nps", "csat", "ces", "sentiment"))]
    cols = {"nps": [int(r["nps"]) for r in comp], "csat": [int(r["csat"]) for r in comp],
            "ces": [int(r["ces"]) for r in comp], "sentiment": [code[r["sentiment"]] for r in comp]}
    out.append(f"Pearson correlations on {len(comp)} complete valid rows:")
    names = list(cols)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            out.append(f"  {a}-{b}: {pearson(cols[a], cols[b]):.3f}")
    csat = [int(r["csat"]) for r in valid if r["csat"] != ""]
    ces = [int(r["ces"]) for r in valid if r["ces"] != ""]
    sent = Counter(r["sentiment"] for r in valid if r["sentiment"] != "")
    out.append(f"CSAT top-2-box {sum(v >= 4 for v in csat) / len(csat):.3f}; CES mean {sum(ces) / len(ces):.3f}; "
               f"net sentiment {(sent['positive'] - sent['negative']) / sum(sent.values()):.3f}")
    return "\n".join(out)


def main(argv=None) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--rows", type=int, default=N_ROWS)
    ap.add_argument("--out", default=os.path.join(here, "cx_survey_sample.csv"))
    ap.add_argument("--invalid-out", default=os.path.join(here, "cx_survey_sample_invalid.csv"))
    ap.add_argument("--summary", action="store_true", help="print the data set facts")
    ap.add_argument("--check", action="store_true",
                    help="regenerate and compare with the files on disk instead of writing")
    args = ap.parse_args(argv)

    rows, invalid = generate(args.seed, args.rows)
    data = to_csv(COLUMNS, rows)
    manifest = to_csv(["response_id", "column", "value", "defect"], invalid)
    if args.check:
        ok = True
        for path, text in ((args.out, data), (args.invalid_out, manifest)):
            with open(path, encoding="utf-8", newline="") as f:
                same = f.read() == text
            print(f"{os.path.basename(path)}: {'identical' if same else 'DIFFERS'}")
            ok &= same
        return 0 if ok else 1
    for path, text in ((args.out, data), (args.invalid_out, manifest)):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        print(f"wrote {path} ({len(text.encode()):,} bytes)")
    if args.summary:
        print(summary(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
