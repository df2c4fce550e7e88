"""Writes tests/golden/quality/*.json. Every expected value is hand-derived (written out in each case's
`source`); the reconciliation p-values come from scipy.stats.norm.sf (call recorded in the source).
Run by hand: /work/scratch/venv/bin/python tests/golden/quality/derive/make_quality.py"""
import json, math, os
from scipy.stats import norm

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
DAY = 86400
JAN1, FEB1, APR1 = 1767225600, 1769904000, 1775001600  # 2026-01-01/02-01/04-01 00:00 UTC


def write(function, description, cases):
    with open(os.path.join(OUT, f"{function}.json"), "w") as f:
        json.dump({"function": function, "description": description, "cases": cases}, f, indent=1)
        f.write("\n")


def keep_expect(keep):
    return {f"keep.{i}": k for i, k in enumerate(keep)}


V = []
V.append(dict(
    name="out_of_scale_nan_passes",
    input={"rules": {"rules": [{"id": "scale", "kind": "out_of_scale", "columns": ["nps"], "min": 0, "max": 10}]},
           "columns": {"nps": [9, 11, -1, 7.5, None, 10]}},
    expect={**keep_expect([True, False, False, False, True, True]), "n_excluded": 3, "n_kept": 3,
            "totals.0.n_excluded": 3, "totals.0.n_failed": 3, "excluded.0.row": 1, "excluded.2.row": 3,
            "excluded.2.first_rule": "scale"},
    tolerance=0, source="hand: 11 > 10 and -1 < 0 are outside 0..10; 7.5 is not a whole point (integer=true); "
    "null (missing) is not out of scale; 9 and 10 are valid."))
V.append(dict(
    name="out_of_scale_two_columns_non_integer_allowed",
    input={"rules": {"rules": [{"id": "scale", "kind": "out_of_scale", "columns": ["a", "b"], "min": 1, "max": 5,
                                "integer": False}]},
           "columns": {"a": [1, 2.5, 5, 3], "b": [5, 4, 6, 0.5]}},
    expect={**keep_expect([True, True, False, False])},
    tolerance=0, source="hand: integer=false lets 2.5 pass; row 2 fails on b=6 > 5, row 3 on b=0.5 < 1."))
V.append(dict(
    name="duplicate_keep_first_window",
    input={"rules": {"rules": [{"id": "dups", "kind": "duplicate", "customer": "cust", "timestamp": "ts",
                                "window_days": 7}]},
           "columns": {"cust": ["a", "a", "b", "a", "a"], "ts": [0, 3 * DAY, 1 * DAY, 9 * DAY, 10 * DAY]}},
    expect={**keep_expect([True, False, True, True, False]), "n_excluded": 2},
    tolerance=0, source="hand: customer a at days 0,3,9,10 (rows 0,1,3,4). keep=first: row 0 kept (anchor day 0); "
    "day 3 - 0 = 3 <= 7 duplicate; day 9 - 0 = 9 > 7 kept, new anchor 9; day 10 - 9 = 1 <= 7 duplicate. "
    "Customer b has one response."))
V.append(dict(
    name="duplicate_keep_last_per_survey",
    input={"rules": {"rules": [{"id": "dups", "kind": "duplicate", "customer": "cust", "survey": "survey",
                                "timestamp": "ts", "window_days": 7, "keep": "last"}]},
           "columns": {"cust": [1, 1, 1, 2], "survey": ["s1", "s1", "s2", "s1"], "ts": [0, 2 * DAY, 1 * DAY, 0]}},
    expect={**keep_expect([False, True, True, True])},
    tolerance=0, source="hand: groups (1,s1) rows 0 (day 0), 1 (day 2): keep=last keeps row 1, row 0 is "
    "2 <= 7 days before it: duplicate. (1,s2) and (2,s1) have one row each."))
V.append(dict(
    name="duplicate_window_boundary_inclusive_and_missing",
    input={"rules": {"rules": [{"id": "dups", "kind": "duplicate", "customer": "cust", "timestamp": "ts",
                                "window_days": 1}]},
           "columns": {"cust": [7, 7, 7, None], "ts": [0, DAY, None, 0]}},
    expect={**keep_expect([True, False, True, True])},
    tolerance=0, source="hand: row 1 is exactly 1 day after row 0: within the window (inclusive), duplicate; "
    "row 2 has no timestamp and row 3 no customer: never duplicates."))
V.append(dict(
    name="speeder_absolute_and_median_fixed_point",
    input={"rules": {"rules": [{"id": "fast", "kind": "speeder", "duration": "secs", "min_seconds": 30,
                                "min_fraction_of_median": 0.5}]},
           "columns": {"secs": [300, 20, 250, 280, 90, 310, None]}},
    expect={**keep_expect([True, False, True, True, False, True, True]), "totals.0.median": 290.0,
            "totals.0.threshold": 145.0, "totals.0.n_excluded": 2},
    tolerance=1e-12, source="hand: 20 < 30 fails the absolute part. Fixed point over the other rows with a "
    "duration {300,250,280,90,310}: median 280 -> 0.5*280 = 140 drops 90; {250,280,300,310}: median "
    "(280+300)/2 = 290 -> 145 drops nothing: stop. Threshold max(30, 145) = 145: rows 1 (20) and 4 (90) "
    "fail; the missing duration passes."))
V.append(dict(
    name="straight_liner_min_items",
    input={"rules": {"rules": [{"id": "flat", "kind": "straight_liner", "columns": ["q1", "q2", "q3", "q4"],
                                "min_items": 3}]},
           "columns": {"q1": [5, 5, 5, 1, 3], "q2": [5, 5, 5, 2, 3], "q3": [5, None, None, 1, 3],
                       "q4": [5, 5, None, 1, 4]}},
    expect={**keep_expect([False, False, True, True, True])},
    tolerance=0, source="hand: row 0 four equal answers; row 1 three answered, all 5 (>= 3 items): straight-liner; "
    "row 2 only two answered (< 3); row 3 1,2,1,1 and row 4 3,3,3,4 differ."))
V.append(dict(
    name="impossible_timestamps",
    input={"rules": {"rules": [{"id": "time", "kind": "impossible_timestamps", "started": "start",
                                "completed": "end", "as_of": "2026-01-01"}]},
           "columns": {"start": [0, 100, 50, None, 200, 1800000000],
                       "end": [60, 90, 2000000000, 100, 300, 1800000010]}},
    expect={**keep_expect([True, False, False, True, True, False])},
    tolerance=0, source="hand: as_of 2026-01-01 = 1767225600 s. Row 1 completed (90) before started (100); "
    "row 2 completed 2e9 > as_of; row 5 started 1.8e9 > as_of (in the future); row 3 has no start: not "
    "impossible."))
V.append(dict(
    name="identical_vectors_in_bulk",
    input={"rules": {"rules": [{"id": "bots", "kind": "identical_vectors", "columns": ["q1", "q2", "q3"],
                                "min_count": 3}]},
           "columns": {"q1": [1, 1, 4, 1, 1, 1, None, None, None],
                       "q2": [2, 2, 4, 2, 2, 2, None, None, None],
                       "q3": [3, 3, 4, 3, None, None, None, None, None]}},
    expect={**keep_expect([False, False, True, False, True, True, True, True, True]), "n_excluded": 3},
    tolerance=0, source="hand: (1,2,3) occurs 3 times (rows 0,1,3) >= 3: flagged; (1,2,missing) twice: not; "
    "(4,4,4) once; three all-missing rows are not checked."))
V.append(dict(
    name="test_entries_flag_and_domains",
    input={"rules": {"rules": [{"id": "internal", "kind": "test_entries", "flag": "is_test", "email": "email",
                                "domains": ["acme.com"]}]},
           "columns": {"is_test": [0, 1, 0, 0, None],
                       "email": ["a@acme.com", "b@x.org", "c@QA.Acme.com", "d@notacme.com", None]}},
    expect={**keep_expect([False, False, False, True, True])},
    tolerance=0, source="hand: row 0 domain acme.com; row 1 flag 1; row 2 domain qa.acme.com (case-folded) is a "
    "subdomain of acme.com; row 3 notacme.com is not; row 4 has no flag and no e-mail."))
V.append(dict(
    name="field_period_half_open",
    input={"rules": {"rules": [{"id": "period", "kind": "field_period", "timestamp": "ts", "start": "2026-01-01",
                                "end": "2026-04-01"}]},
           "columns": {"ts": [JAN1 - 1, JAN1, APR1 - 1, APR1, None]}},
    expect={**keep_expect([False, True, True, False, True])},
    tolerance=0, source="hand: [2026-01-01, 2026-04-01) = [1767225600, 1775001600): one second before the start "
    "is out, the start is in, one second before the end is in, the end is out; missing passes."))
V.append(dict(
    name="field_period_per_survey",
    input={"rules": {"rules": [{"id": "period", "kind": "field_period", "timestamp": "ts", "survey": "survey",
                                "periods": {"A": {"start": "2026-01-01", "end": "2026-02-01"},
                                            "B": {"start": "2026-02-01"}}}]},
           "columns": {"survey": ["A", "A", "B", "B", "C"], "ts": [JAN1, FEB1, FEB1, JAN1, JAN1]}},
    expect={**keep_expect([True, False, True, False, False])},
    tolerance=0, source="hand: A is [2026-01-01, 2026-02-01): Jan 1 in, Feb 1 out; B is [2026-02-01, open): Feb 1 "
    "in, Jan 1 out; survey C has no declared period: out."))
V.append(dict(
    name="first_rule_in_declared_order_and_all_failed",
    input={"rules": {"id": "q1-2026", "version": "3", "rules": [
        {"id": "scale", "kind": "out_of_scale", "columns": ["nps"], "min": 0, "max": 10},
        {"id": "fast", "kind": "speeder", "duration": "secs", "min_seconds": 60},
        {"id": "internal", "kind": "test_entries", "flag": "is_test"}]},
        "columns": {"nps": [8, 12, 9, 10, 3], "secs": [100, 30, 20, 200, 300], "is_test": [0, 1, 1, 0, 0]}},
    expect={**keep_expect([True, False, False, True, True]), "excluded.0.row": 1,
            "excluded.0.first_rule": "scale", "excluded.0.failed.0": "scale", "excluded.0.failed.1": "fast",
            "excluded.0.failed.2": "internal", "excluded.1.row": 2, "excluded.1.first_rule": "fast",
            "excluded.1.failed.1": "internal", "totals.0.n_excluded": 1, "totals.1.n_excluded": 1,
            "totals.2.n_excluded": 0, "totals.1.n_failed": 2, "totals.2.n_failed": 2, "n_excluded": 2,
            "rule_set": "q1-2026", "rule_set_version": "3"},
    tolerance=0, source="hand: row 1 fails scale (12), fast (30 < 60) and internal (flag): accounted to scale, "
    "the first declared; row 2 fails fast (20) and internal: accounted to fast. internal excludes no row "
    "first but failed 2."))
V.append(dict(name="error_unknown_key", input={"rules": {"rules": [
    {"id": "s", "kind": "out_of_scale", "columns": ["x"], "min": 0, "max": 1, "mx": 2}]}, "columns": {"x": [0]}},
    error={"kind": "invalid_argument"}, source="deny_unknown_fields: `mx` is not a key of out_of_scale."))
V.append(dict(name="error_unknown_kind", input={"rules": {"rules": [{"id": "s", "kind": "telepathy"}]},
    "columns": {"x": [0]}}, error={"kind": "invalid_argument"}, source="`telepathy` is not a rule kind."))
V.append(dict(name="error_missing_column", input={"rules": {"rules": [
    {"id": "s", "kind": "speeder", "duration": "secs", "min_seconds": 10}]}, "columns": {"x": [0]}},
    error={"kind": "invalid_argument"}, source="the table has no column `secs`."))
V.append(dict(name="error_length_mismatch", input={"rules": {"rules": [
    {"id": "s", "kind": "speeder", "duration": "secs", "min_seconds": 10}]}, "columns": {"a": [0, 1], "secs": [5]}},
    error={"kind": "length_mismatch"}, source="columns of 2 and 1 rows."))
V.append(dict(name="error_duplicate_rule_id", input={"rules": {"rules": [
    {"id": "s", "kind": "speeder", "duration": "secs", "min_seconds": 10},
    {"id": "s", "kind": "speeder", "duration": "secs", "min_seconds": 20}]}, "columns": {"secs": [5]}},
    error={"kind": "invalid_argument"}, source="two rules with id `s`."))
write("validate", "Declarative response validation: keep mask, first rule and every failed rule per excluded row, totals.", V)

S = []
S.append(dict(name="one_way_complementary",
    input={"counts": [40, 4, 25, 12], "min_group_size": 10},
    expect={"cells.0.0": "published", "cells.0.1": "primary", "cells.0.2": "published", "cells.0.3": "complementary",
            "row_totals.0": "published", "n_primary": 1, "n_complementary": 1, "iterations": 2},
    tolerance=0, source="hand: 4 < 10 primary; the line {40,4,25,12 | 81} then has one hidden entry (4 = 81-40-25-12 "
    "would be recoverable): the smallest published non-empty entry, 12, is suppressed. Sweep 2 changes nothing."))
S.append(dict(name="one_way_no_complementary",
    input={"counts": [40, 4, 25, 12], "min_group_size": 10, "complementary": False},
    expect={"cells.0.1": "primary", "cells.0.3": "published", "n_complementary": 0},
    tolerance=0, source="hand: complementary=false suppresses only the primary cell."))
S.append(dict(name="one_way_zero_cell_safe_then_suppress",
    input={"counts": [0, 15, 3, 20], "min_group_size": 5},
    expect={"cells.0.0": "published", "cells.0.1": "complementary", "cells.0.2": "primary",
            "cells.0.3": "published"},
    tolerance=0, source="hand: zero_cells=safe: 0 is published; 3 < 5 primary; the complement is the smallest "
    "non-empty published entry: 15 (not the empty cell)."))
S.append(dict(name="one_way_zero_cells_suppressed",
    input={"counts": [0, 15, 3, 20], "min_group_size": 5, "zero_cells": "suppress"},
    expect={"cells.0.0": "primary", "cells.0.1": "published", "cells.0.2": "primary", "n_complementary": 0},
    tolerance=0, source="hand: zero_cells=suppress makes 0 (< 5) primary too; the line has two hidden entries."))
S.append(dict(name="two_way_cascade",
    input={"counts": [[20, 3, 15], [30, 25, 40]], "min_group_size": 10},
    expect={"cells.0.0": "published", "cells.0.1": "primary", "cells.0.2": "complementary",
            "cells.1.0": "published", "cells.1.1": "complementary", "cells.1.2": "complementary",
            "row_totals.0": "published", "row_totals.1": "published", "column_totals.1": "published",
            "grand_total": "published", "n_primary": 1, "n_complementary": 3, "iterations": 2},
    tolerance=0, source="hand: margins rows 38,135; columns 50,28,55; total 173. 3 < 10 primary. Sweep 1: row 0 "
    "{20,3*,15|38} gets 15; row 1 none; column-total row none; column 0 none; column 1 {3*,25|28} gets 25; "
    "column 2 {15*,40|55} gets 40; row-total column none. Sweep 2: every line has 0 or 2+ hidden."))
S.append(dict(name="two_way_margin_suppressed",
    input={"counts": [[3, 0], [20, 30]], "min_group_size": 10},
    expect={"cells.0.0": "primary", "cells.0.1": "published", "cells.1.0": "complementary", "cells.1.1": "published",
            "row_totals.0": "primary", "row_totals.1": "complementary", "column_totals.0": "published",
            "grand_total": "published", "n_primary": 2, "n_complementary": 2},
    tolerance=0, source="hand: margins rows 3,50; columns 23,30; total 53. Primary: cell 3 and row total 3 (< 10); "
    "the zero cell is safe. Column 0 {3*,20|23} gets 20; the row-total column {3*,50|53} gets 50 (smallest). "
    "Then row 1 {20*,30|50*} has two; done. Remaining freedom: x00 = r0, x00 + x10 = 23, r0 + r1 = 53, "
    "x10 + 30 = r1: one free unknown, nothing recoverable."))
S.append(dict(name="error_ragged", input={"counts": [[1, 2], [3]]}, error={"kind": "length_mismatch"},
    source="rows of 2 and 1 cells."))
S.append(dict(name="error_min_zero", input={"counts": [1, 2], "min_group_size": 0},
    error={"kind": "invalid_argument"}, source="min_group_size must be at least 1."))
write("suppress", "Minimum group size with complementary suppression (one- and two-way tables with margins).", S)

P = {"min_group_size": 10, "roles": {
    "frontline_manager": {"levels": ["team", "store"], "fields": ["nps", "csat", "n"]},
    "analyst": {"levels": ["*"], "fields": ["*"], "min_group_size": 5},
    "executive": {"levels": ["region", "company"], "fields": ["nps", "n"], "min_group_size": 30}}}
W = []
W.append(dict(name="manager_team_fields", input={"policy": P, "role": "frontline_manager", "level": "team",
    "fields": ["nps", "verbatim", "n"]},
    expect={"level_allowed": True, "allowed_fields.0": "nps", "allowed_fields.1": "n", "denied_fields.0": "verbatim",
            "min_group_size": 10}, tolerance=0,
    source="hand: team is a listed level; nps and n are listed fields, verbatim is not; the policy minimum 10."))
W.append(dict(name="manager_level_denied", input={"policy": P, "role": "frontline_manager", "level": "region",
    "fields": ["nps"]}, expect={"level_allowed": False, "denied_fields.0": "nps"}, tolerance=0,
    source="hand: region is not a level of frontline_manager: every field is denied."))
W.append(dict(name="analyst_wildcard", input={"policy": P, "role": "analyst", "level": "customer",
    "fields": ["verbatim"]}, expect={"level_allowed": True, "allowed_fields.0": "verbatim", "min_group_size": 5},
    tolerance=0, source="hand: `*` allows every level and field; the role's own minimum 5 replaces the policy's 10."))
W.append(dict(name="executive_own_minimum", input={"policy": P, "role": "executive", "level": "region",
    "fields": ["nps", "csat"]}, expect={"level_allowed": True, "allowed_fields.0": "nps", "denied_fields.0": "csat",
    "min_group_size": 30}, tolerance=0, source="hand: region allowed; csat not a field of executive; own minimum 30."))
W.append(dict(name="error_unknown_role", input={"policy": P, "role": "intern", "level": "team", "fields": []},
    error={"kind": "invalid_argument"}, source="intern is not a role of the policy."))
W.append(dict(name="error_unknown_key", input={"policy": {"roles": {"a": {"levels": [], "fields": [], "see": 1}}},
    "role": "a", "level": "team", "fields": []}, error={"kind": "invalid_argument"},
    source="deny_unknown_fields: `see` is not a key of a role."))
write("view_policy", "Role-based view policy evaluated as data.", W)

R = []
def pooled(pa, na, pb, nb):
    p = (pa * na + pb * nb) / (na + nb)
    se = math.sqrt(p * (1 - p) * (1 / na + 1 / nb))
    z = (pa - pb) / se
    return se, z, float(2 * norm.sf(abs(z)))

a = [{"period": "2026-Q1", "group": "north", "value": 0.50, "n": 400},
     {"period": "2026-Q2", "group": "north", "value": 0.52, "n": 400},
     {"period": "2026-Q3", "group": "north", "value": 0.60, "n": 500},
     {"period": "2026-Q4", "group": "north", "value": 0.62, "n": 500},
     {"period": "2026-Q1", "group": "south", "value": 0.40, "n": 300},
     {"period": "2026-Q2", "group": "south", "value": 0.40, "n": 300}]
b = [{"period": "2026-Q1", "group": "north", "value": 0.49, "n": 1000},
     {"period": "2026-Q2", "group": "north", "value": 0.45, "n": 1000},
     {"period": "2026-Q3", "group": "north", "value": 0.50, "n": 1200},
     {"period": "2026-Q4", "group": "north", "value": 0.51, "n": 1200},
     {"period": "2026-Q1", "group": "south", "value": 0.41, "n": 800},
     {"period": "2026-Q3", "group": "south", "value": 0.41, "n": 800}]
rows = [(x, y) for x in a for y in b if x["period"] == y["period"] and x["group"] == y["group"]]
exp = {}
src = []
for i, (x, y) in enumerate(sorted(rows, key=lambda r: (r[0]["group"], r[0]["period"]))):
    se, z, p = pooled(x["value"], x["n"], y["value"], y["n"])
    d = x["value"] - y["value"]
    div = abs(d) > 0.03 and p < 0.05
    exp.update({f"rows.{i}.difference": d, f"rows.{i}.se": se, f"rows.{i}.z": z, f"rows.{i}.p_value": p,
                f"rows.{i}.diverging": div, f"rows.{i}.period": x["period"], f"rows.{i}.group": x["group"]})
    src.append(f"{x['group']} {x['period']}: d={d:.2f}, z={z:.6f}, p={p:.6g}, diverging={div}")
exp.update({"groups.0.group": "north", "groups.0.diverging_now": True, "groups.0.since": "2026-Q2",
            "groups.0.run_length": 3, "groups.0.n_diverging": 3, "groups.1.group": "south",
            "groups.1.diverging_now": False, "groups.1.since": None, "only_in_a.0.period": "2026-Q2",
            "only_in_a.0.group": "south", "only_in_b.0.period": "2026-Q3", "only_in_b.0.group": "south",
            "n_diverging": 3})
R.append(dict(name="shares_pooled_since", input={"a": a, "b": b, "tolerance": 0.03}, expect=exp, tolerance=1e-9,
    source="hand + scipy: pooled p = (pa na + pb nb)/(na + nb), se = sqrt(p(1-p)(1/na + 1/nb)), z = (pa - pb)/se, "
    "p = 2*scipy.stats.norm.sf(|z|); diverging = |d| > 0.03 and p < 0.05. " + "; ".join(src) +
    ". north diverges in Q2, Q3, Q4 (run since Q2); south Q1 within tolerance; south Q2 only in a, Q3 only in b."))

ma = [{"period": "P1", "group": "all", "value": 7.9, "n": 200, "se": 0.12},
      {"period": "P2", "group": "all", "value": 8.3, "n": 210, "se": 0.11}]
mb = [{"period": "P1", "group": "all", "value": 7.8, "n": 900, "se": 0.05},
      {"period": "P2", "group": "all", "value": 7.8, "n": 950, "se": 0.05}]
exp = {}
src = []
for i in range(2):
    se = math.sqrt(ma[i]["se"] ** 2 + mb[i]["se"] ** 2)
    d = ma[i]["value"] - mb[i]["value"]
    z = d / se
    p = float(2 * norm.sf(abs(z)))
    exp.update({f"rows.{i}.difference": d, f"rows.{i}.se": se, f"rows.{i}.z": z, f"rows.{i}.p_value": p,
                f"rows.{i}.significant": p < 0.05, f"rows.{i}.diverging": p < 0.05})
    src.append(f"{ma[i]['period']}: d={d:.2f}, se={se:.6f}, z={z:.6f}, p={p:.6g}")
exp.update({"groups.0.since": "P2", "groups.0.run_length": 1})
R.append(dict(name="means_with_se_significant_rule", input={"a": ma, "b": mb, "kind": "mean", "rule": "significant"},
    expect=exp, tolerance=1e-9, source="hand + scipy: se = sqrt(se_a^2 + se_b^2), z = d/se, "
    "p = 2*scipy.stats.norm.sf(|z|), diverging = p < 0.05. " + "; ".join(src)))
se_u = math.sqrt(0.6 * 0.4 / 100 + 0.5 * 0.5 / 100)
z_u = 0.1 / se_u
R.append(dict(name="shares_unpooled_tolerance_rule", input={
    "a": [{"period": "Q1", "value": 0.6, "n": 100}], "b": [{"period": "Q1", "value": 0.5, "n": 100}],
    "share_test": "unpooled", "rule": "tolerance", "tolerance": 0.05},
    expect={"rows.0.se": se_u, "rows.0.z": z_u, "rows.0.p_value": float(2 * norm.sf(z_u)), "rows.0.significant": False,
            "rows.0.within_tolerance": False, "rows.0.diverging": True, "groups.0.group": "", "groups.0.since": "Q1"},
    tolerance=1e-9, source=f"hand + scipy: unpooled se = sqrt(.6*.4/100 + .5*.5/100) = {se_u:.9f}, z = {z_u:.6f}, "
    f"p = 2*norm.sf(z) = {2 * norm.sf(z_u):.6f} (not < 0.05); rule tolerance: |0.1| > 0.05 diverges."))
R.append(dict(name="error_share_outside", input={"a": [{"period": "Q1", "value": 1.2, "n": 10}], "b": []},
    error={"kind": "invalid_argument"}, source="a share of 1.2 is outside [0, 1]."))
R.append(dict(name="error_mean_without_se", input={"a": [{"period": "Q1", "value": 1.2, "n": 10}], "b": [],
    "kind": "mean"}, error={"kind": "invalid_argument"}, source="a mean needs its standard error."))
R.append(dict(name="error_duplicate_period", input={"a": [{"period": "Q1", "value": 0.2, "n": 10},
    {"period": "Q1", "value": 0.3, "n": 10}], "b": []}, error={"kind": "invalid_argument"},
    source="period Q1 of group '' appears twice in a."))
write("reconcile", "Reconciliation of two sources of the same KPI per period and group.", R)
