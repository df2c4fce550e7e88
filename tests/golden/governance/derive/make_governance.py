"""Writes tests/golden/governance/*.json. Every expected value is hand-derived and written out in each case's
`source` (equipercentile: Kolen & Brennan (2014), Test Equating, Scaling, and Linking, 3rd ed., eqs 2.14-2.18).
Run by hand: python3 tests/golden/governance/derive/make_governance.py"""
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)


def write(function, description, cases):
    with open(os.path.join(OUT, f"{function}.json"), "w") as f:
        json.dump({"function": function, "description": description, "cases": cases}, f, indent=1)
        f.write("\n")


REG = {"definitions": [
    {"id": "nps", "kind": "metric", "version": 1, "effective_from": "2025-01-01", "effective_to": "2026-01-01",
     "status": "deprecated", "owner": "cx-analytics", "approver": "cfo",
     "spec": {"promoters": [9, 10], "detractors": [0, 6]}},
    {"id": "nps", "kind": "metric", "version": 2, "effective_from": "2026-01-01", "status": "active",
     "owner": "cx-analytics", "approver": "cfo", "change_reason": "denominator excludes partial responses",
     "spec": {"promoters": [9, 10], "detractors": [0, 6]}},
    {"id": "nps", "kind": "metric", "version": 3, "effective_from": "2026-06-01", "status": "draft",
     "owner": "cx-analytics"},
    {"id": "csat_q", "kind": "instrument", "version": 1, "effective_from": "2025-01-01",
     "effective_to": "2025-07-01", "status": "active", "owner": "research", "approver": "head-of-cx",
     "spec": {"wording": "How satisfied were you?", "scale": [1, 5]}},
    {"id": "csat_q", "kind": "instrument", "version": 2, "effective_from": "2025-08-01",
     "effective_to": "2026-03-01", "status": "retired", "owner": "research", "approver": "head-of-cx",
     "change_reason": "7-point scale", "spec": {"scale": [1, 7]},
     "retirement": {"date": "2026-03-01", "approver": "head-of-cx", "reason": "replaced by CES"}}]}

L = []
def look(name, id_, date, version, reason, status=None, src=""):
    e = {"version": version, "reason": reason}
    if version is not None:
        e["status"] = status
        e["definition.version"] = version
    else:
        e["status"] = None
        e["definition"] = None
    L.append(dict(name=name, input={"registry": REG, "id": id_, "date": date}, expect=e, tolerance=0, source=src))

look("before_first", "nps", "2024-12-31", None, "before_first",
     src="hand: v1 starts 2025-01-01; the day before has no version.")
look("first_day_inclusive", "nps", "2025-01-01", 1, "deprecated", "deprecated",
     src="hand: [2025-01-01, 2026-01-01) includes its first day; v1 is deprecated (in force, flagged).")
look("last_day_before_to", "nps", "2025-12-31", 1, "deprecated", "deprecated",
     src="hand: 2025-12-31 < effective_to 2026-01-01.")
look("effective_to_exclusive", "nps", "2026-01-01", 2, "in_force", "active",
     src="hand: v1 ends before 2026-01-01 (exclusive); v2 starts that day.")
look("draft_never_in_force", "nps", "2026-07-01", 2, "in_force", "active",
     src="hand: v3 (draft, from 2026-06-01) is not approved: v2 stays in force.")
look("gap_between_versions", "csat_q", "2025-07-15", None, "gap",
     src="hand: v1 ends 2025-07-01, v2 starts 2025-08-01: 2025-07-15 is in neither.")
look("retired_history_readable", "csat_q", "2026-02-28", 2, "in_force", "retired",
     src="hand: v2 is retired from 2026-03-01 but 2026-02-28 lies in [2025-08-01, 2026-03-01): still returned.")
look("after_retirement", "csat_q", "2026-03-01", None, "retired",
     src="hand: the last version was retired with effective_to 2026-03-01 (exclusive).")
L.append(dict(name="error_unknown_id", input={"registry": REG, "id": "ces", "date": "2026-01-01"},
              error={"kind": "invalid_argument"}, source="ces is not in the registry."))
L.append(dict(name="error_bad_date", input={"registry": REG, "id": "nps", "date": "2026-13-01"},
              error={"kind": "invalid_argument"}, source="month 13 is not a date."))

def broken(name, mutate, src):
    r = copy.deepcopy(REG)
    mutate(r["definitions"])
    L.append(dict(name=name, input={"registry": r, "id": "nps", "date": "2026-01-01"},
                  error={"kind": "invalid_argument"}, source=src))

broken("error_overlap", lambda d: d[0].update(effective_to="2026-01-02"),
       "v1 [2025-01-01, 2026-01-02) overlaps v2 from 2026-01-01.")
broken("error_missing_approver", lambda d: d[1].pop("approver"), "an active version needs an approver.")
broken("error_missing_change_reason", lambda d: d[1].pop("change_reason"),
       "v2 changes v1 and needs a change_reason.")
broken("error_retired_open_ended", lambda d: (d[1].update(status="retired")),
       "a retired version needs effective_to.")
broken("error_version_order", lambda d: (d[0].update(version=5)),
       "v5 takes effect before v2: versions must increase with effective_from.")
broken("error_unknown_key", lambda d: d[0].update(approved_by="x"), "deny_unknown_fields: approved_by.")
write("in_force", "The definition version in force on a date; effective intervals are [from, to).", L)

H = [dict(name="history_all_versions", input={"registry": REG, "id": "nps"},
          expect={"versions.0.version": 1, "versions.1.version": 2, "versions.2.version": 3,
                  "versions.2.status": "draft", "versions.0.status": "deprecated"}, tolerance=0,
          source="hand: every version of nps by number, the draft included.")]
write("history", "Every version of a definition.", H)

T = [dict(name="retire_current_version",
          input={"registry": REG, "id": "nps", "date": "2026-09-01", "approver": "cfo", "reason": "replaced by TNPS"},
          expect={"definitions.1.status": "retired", "definitions.1.effective_to": "2026-09-01",
                  "definitions.1.retirement.reason": "replaced by TNPS", "definitions.0.status": "deprecated",
                  "definitions.0.effective_to": "2026-01-01", "definitions.2.status": "draft"}, tolerance=0,
          source="hand: v2 is in force on 2026-08-31, so it gets effective_to 2026-09-01 and status retired; v1 and "
          "the draft v3 are unchanged (history stays readable)."),
     dict(name="error_nothing_in_force", input={"registry": REG, "id": "csat_q", "date": "2026-06-01",
                                               "approver": "x", "reason": "y"},
          error={"kind": "invalid_argument"}, source="no version of csat_q is in force on 2026-05-31."),
     dict(name="error_no_reason", input={"registry": REG, "id": "nps", "date": "2026-09-01", "approver": "cfo",
                                         "reason": ""}, error={"kind": "invalid_argument"},
          source="retiring needs a reason.")]
write("retire", "Retiring a definition keeps its history readable.", T)

LIN = {"source_systems": ["survey-tool", "crm"], "transformations": ["weighting: raking to region x age"],
       "exclusion_rules": [{"rule": "speeders", "kind": "speeder", "n_excluded": 12}]}
ST = [dict(name="stamp_with_lineage", input={"registry": REG, "id": "nps", "date": "2026-03-31", "lineage": LIN},
           expect={"definition": "nps", "version": 2, "status": "active", "effective_from": "2026-01-01",
                   "effective_to": None, "owner": "cx-analytics", "approver": "cfo", "as_of": "2026-03-31",
                   "lineage.source_systems.1": "crm", "lineage.exclusion_rules.0.rule": "speeders",
                   "lineage.exclusion_rules.0.n_excluded": 12, "kind": "metric"}, tolerance=0,
           source="hand: v2 is in force on 2026-03-31; the lineage is carried as given."),
      dict(name="error_stamp_nothing_in_force", input={"registry": REG, "id": "nps", "date": "2024-01-01"},
           error={"kind": "invalid_argument"}, source="no version of nps before 2025-01-01.")]
write("stamp", "Result stamps: definition version in force and lineage.", ST)

OLD = [1, 1, 2, 2, 2, 3, 3, 3, 3, 3]
NEW = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5]
B = [dict(name="linear_5_to_7", input={"bridge": {"method": "linear", "from_scale": [1, 5], "to_scale": [1, 7]}},
          expect={"slope": 1.5, "intercept": -0.5, "table.0.to": 1.0, "table.1.to": 2.5, "table.2.to": 4.0,
                  "table.4.to": 7.0, "method": "linear"}, tolerance=1e-12,
          source="hand: y = 1 + (x - 1) * (7 - 1)/(5 - 1) = 1.5 x - 0.5: 1->1, 2->2.5, 3->4, 5->7."),
     dict(name="linear_0_10_to_1_5", input={"bridge": {"method": "linear", "from_scale": {"min": 0, "max": 10},
                                                        "to_scale": {"min": 1, "max": 5}}},
          expect={"slope": 0.4, "intercept": 1.0, "table.5.to": 3.0, "table.9.to": 4.6}, tolerance=1e-12,
          source="hand: y = 1 + 0.4 x: 5->3, 9->4.6."),
     dict(name="equipercentile_k_and_b", input={"bridge": {"method": "equipercentile", "from_scale": [1, 3],
                                                            "to_scale": [1, 5], "old": OLD, "new": NEW}},
          expect={"table.0.percentile_rank": 0.1, "table.0.to": 1.5, "table.1.percentile_rank": 0.35,
                  "table.1.to": 2.5 + 0.05 / 0.3, "table.2.percentile_rank": 0.75, "table.2.to": 4.25,
                  "n_old": 10, "n_new": 10, "old_proportions.2": 0.5, "new_proportions.0": 0.1},
          tolerance=1e-12,
          source="hand (Kolen & Brennan eqs 2.14-2.18): old f = .2,.3,.5, F = .2,.5,1; new g = .1,.2,.3,.2,.2, "
          "G = .1,.3,.6,.8,1. P(1) = 0 + .5*.2 = .1; smallest G > .1 is G(2) = .3: y = (.1-.1)/.2 + 1.5 = 1.5. "
          "P(2) = .2 + .5*.3 = .35; G(3) = .6: y = (.35-.3)/.3 + 2.5 = 2.6667. P(3) = .5 + .5*.5 = .75; "
          "G(4) = .8: y = (.75-.6)/.2 + 3.5 = 4.25."),
     dict(name="mean_sigma", input={"bridge": {"method": "mean_sigma", "from_scale": [1, 5], "to_scale": [1, 10],
                                               "old": [1, 2, 3, 4, 5], "new": [2, 4, 6, 8, 10]}},
          expect={"slope": 2.0, "intercept": 0.0, "table.2.to": 6.0}, tolerance=1e-12,
          source="hand: old mean 3, population sd sqrt(2); new mean 6, sd sqrt(8): slope sqrt(8)/sqrt(2) = 2, "
          "intercept 6 - 2*3 = 0."),
     dict(name="error_answer_off_scale", input={"bridge": {"method": "equipercentile", "from_scale": [1, 3],
                                                            "to_scale": [1, 5], "old": [1, 4], "new": NEW}},
          error={"kind": "out_of_scale"}, source="4 is outside the old scale 1..3."),
     dict(name="error_unknown_method", input={"bridge": {"method": "kernel", "from_scale": [1, 3],
                                                          "to_scale": [1, 5]}},
          error={"kind": "unknown_method"}, source="kernel is not a bridge method.")]
write("bridge", "Fitting a scale bridge: linear, mean-sigma and equipercentile.", B)

A = [dict(name="equipercentile_continuised_values",
          input={"bridge": {"method": "equipercentile", "from_scale": [1, 3], "to_scale": [1, 5], "old": OLD,
                            "new": NEW}, "values": [2.2, 0.5, 3.5, None, 3]},
          expect={"values.0": 2.5 + 0.11 / 0.3, "values.1": 0.5, "values.2": 5.5, "values.3": None,
                  "values.4": 4.25}, tolerance=1e-12,
          source="hand: x = 2.2: x* = 2, P = .2 + (2.2 - 1.5)*.3 = .41, G(3) = .6 > .41: y = (.41-.3)/.3 + 2.5 = "
          "2.8667; x = 0.5: P = 0, smallest G > 0 is G(1) = .1: y = 0/.1 + .5 = .5; x = 3.5: P = 1, no G > 1: "
          "y = 5 + .5; missing stays missing; 3 -> 4.25 as in the table."),
     dict(name="error_outside_continuised", input={"bridge": {"method": "equipercentile", "from_scale": [1, 3],
                                                               "to_scale": [1, 5], "old": OLD, "new": NEW},
                                                    "values": [3.6]},
          error={"kind": "out_of_scale"}, source="3.6 > 3 + 0.5."),
     dict(name="linear_values", input={"bridge": {"method": "linear", "from_scale": [1, 5], "to_scale": [0, 100]},
                                      "values": [1, 4.2, 5]},
          expect={"values.0": 0.0, "values.1": 80.0, "values.2": 100.0}, tolerance=1e-12,
          source="hand: y = 25 (x - 1): 0, 80, 100.")]
write("apply_bridge", "Mapping old-scale values with a bridge.", A)

S = [dict(name="series_break_marked",
          input={"bridge": {"method": "linear", "from_scale": [1, 5], "to_scale": [1, 7]},
                 "periods": ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"], "values": [4.0, 3.8, 5.9, 6.1],
                 "break_period": "2026-Q1"},
          expect={"points.0.value": 5.5, "points.1.value": 5.2, "points.2.value": 5.9, "points.0.raw": 4.0,
                  "points.0.bridged": True, "points.2.bridged": False, "points.2.break_before": True,
                  "points.1.break_before": False, "points.3.instrument": "new", "points.0.instrument": "old",
                  "break_period": "2026-Q1"}, tolerance=1e-12,
          source="hand: before 2026-Q1 values are on 1-5 and mapped by y = 1.5 x - 0.5: 4.0 -> 5.5, 3.8 -> 5.2; "
          "from 2026-Q1 on they are kept; 2026-Q1 is the break."),
     dict(name="error_break_not_a_period", input={"bridge": {"method": "linear", "from_scale": [1, 5],
                                                              "to_scale": [1, 7]}, "periods": ["a"],
                                                   "values": [1], "break_period": "b"},
          error={"kind": "invalid_argument"}, source="b is not one of the periods.")]
write("bridge_series", "A series across an instrument change, bridged, with the break marked.", S)
