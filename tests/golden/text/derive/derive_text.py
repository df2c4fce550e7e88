"""Derives the `text` golden family (tests/golden/text/*.json).

Run by hand (never by the test command):
    /work/scratch/venv/bin/python tests/golden/text/derive/derive_text.py
Needs scikit-learn, scipy, numpy in the venv and R with the `vcd` package (apt r-cran-vcd).

Theme tagging, impact, trend and version-mapping cases are hand derivations: each case's `source` walks
through the folded text, the matches, the negation window and the policies. Validation metrics are hand
derived and cross-checked with sklearn. Isotonic calibration comes from sklearn IsotonicRegression, kappa
from sklearn cohen_kappa_score (estimate) and R vcd::Kappa (ASE), Bland-Altman from the Bland & Altman
(1999) formulas evaluated in R, correlations from scipy.stats.
"""
import json
import os
import subprocess

import numpy as np
from scipy import stats
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)


def flat_expect(exp):
    out = {}
    for k, v in exp.items():
        if isinstance(v, (list, tuple)):
            for i, x in enumerate(v):
                out.update(flat_expect({f"{k}.{i}": x}))
        else:
            out[k] = float(v) if isinstance(v, np.floating) else v
    return out


def write(name, function, description, cases):
    for c in cases:
        if "expect" in c:
            c["expect"] = flat_expect(c["expect"])
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"function": function, "description": description, "cases": cases}, f, indent=1)
        f.write("\n")


def r(code):
    out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


T1 = {
    "version": "2026.1",
    "name": "golden",
    "themes": [
        {"id": "billing", "keywords": ["invoice", "bill*"]},
        {"id": "billing.double", "parent": "billing", "phrases": ["charged twice", "double charge"]},
        {"id": "staff", "keywords": ["staff", "rude"]},
        {"id": "delivery", "keywords": ["delivery"]},
        {"id": "delivery.speed", "parent": "delivery", "phrases": ["fast delivery", "late delivery"]},
    ],
}
V1 = [
    "I was CHARGED TWICE!",
    "No problem with the invoice",
    "Not charged twice, but the staff was rude",
    "Billing was fine and delivery fast",
    "Fast delivery, never late delivery",
    "ok",
]
T1_NOTE = (
    "Themes 0 billing (invoice, bill*), 1 billing.double (charged twice, double charge; parent billing), "
    "2 staff (staff, rude), 3 delivery (delivery), 4 delivery.speed (fast delivery, late delivery; parent "
    "delivery); default cues (en: not, no, never, ...), terminators (but, ...), window 3. "
)


def with_policy(tax, **neg):
    t = json.loads(json.dumps(tax))
    for k, v in neg.items():
        if k in ("overlap_policy", "parent_policy"):
            t[k] = v
        else:
            t.setdefault("negation", {})[k] = v
    return t


tag_cases = []
tag_cases.append({
    "name": "negation_suppress_window_terminator",
    "input": {"taxonomy": T1, "verbatims": V1},
    "expect": {
        "offsets": [0, 2, 3, 4, 6, 8, 8],
        "theme_index": [0, 1, 0, 2, 0, 3, 3, 4],
        "negated": [False] * 8,
        "n_verbatims": 6, "n_tagged": 5, "n_untagged": 1,
        "share_untagged": 1 / 6, "coverage": 5 / 6,
        "counts": [3, 1, 1, 2, 1], "negated_counts": [0, 0, 0, 0, 0],
        "negation_policy": "suppress", "parent_policy": "implied", "overlap_policy": "all",
        "taxonomy_version": "2026.1",
    },
    "tolerance": 1e-12,
    "source": T1_NOTE + "Hand derivation on the folded texts. v0 'i was charged twice!': 'charged twice' "
    "(tokens before: was, i; no cue) -> billing.double + implied billing = [0,1]. v1 'no problem with the "
    "invoice': 'invoice' has the, with, problem in its 3-token window; 'no' is the 4th token -> not negated "
    "-> [0]. v2 'not charged twice, but the staff was rude': 'charged twice' preceded by cue 'not' -> "
    "suppressed; 'staff' window: the, then terminator 'but' ends it -> kept; 'rude' window was, staff, the "
    "-> kept -> [2]. v3: 'bill*' matches 'billing' (prefix rule), 'delivery' -> [0,3]. v4 'fast delivery, "
    "never late delivery': 'fast delivery' and the 'delivery' inside it count (overlap all); 'late delivery' "
    "and its 'delivery' have 'never' in the window -> suppressed -> [3,4]. v5 'ok' -> []. Coverage 5/6.",
})
tag_cases.append({
    "name": "negation_flip",
    "input": {"taxonomy": with_policy(T1, policy="flip"), "verbatims": V1},
    "expect": {
        "offsets": [0, 2, 3, 6, 8, 10, 10],
        "theme_index": [0, 1, 0, 0, 1, 2, 0, 3, 3, 4],
        "negated": [False, False, False, True, True, False, False, False, False, False],
        "counts": [4, 2, 1, 2, 1], "negated_counts": [1, 1, 0, 0, 0],
        "n_tagged": 5, "negation_policy": "flip",
    },
    "tolerance": 1e-12,
    "source": T1_NOTE + "Policy flip: negated matches count and are marked. v2: 'charged twice' negated -> "
    "billing.double negated and billing (implied only by that negated match) negated; staff not -> "
    "[0n,1n,2]. v4: 'fast delivery' (not negated) and 'late delivery' (negated) both tag delivery.speed; "
    "a theme is negated only if every match is negated -> 3 and 4 not negated. Other verbatims as in "
    "negation_suppress.",
})
V2 = ["Fast delivery!", "delivery was fast", "The fast delivery team", "Charged twice on my bill"]
tag_cases.append({
    "name": "overlap_all_parent_explicit",
    "input": {"taxonomy": with_policy(T1, parent_policy="explicit"), "verbatims": V2},
    "expect": {"offsets": [0, 2, 3, 5, 7], "theme_index": [3, 4, 3, 3, 4, 0, 1],
               "counts": [1, 1, 0, 3, 2], "parent_policy": "explicit", "overlap_policy": "all"},
    "tolerance": 1e-12,
    "source": T1_NOTE + "parent_policy explicit, overlap all: 'fast delivery' tags delivery.speed and the "
    "'delivery' inside it tags delivery (both count) -> v0 [3,4], v2 [3,4]; v1 only 'delivery' -> [3]; v3 "
    "'charged twice' -> billing.double and 'bill' (rule bill*) -> billing, no parent implication -> [0,1].",
})
tag_cases.append({
    "name": "overlap_longest_parent_explicit",
    "input": {"taxonomy": with_policy(T1, parent_policy="explicit", overlap_policy="longest"), "verbatims": V2},
    "expect": {"offsets": [0, 1, 2, 3, 5], "theme_index": [4, 3, 4, 0, 1],
               "counts": [1, 1, 0, 1, 2], "overlap_policy": "longest"},
    "tolerance": 1e-12,
    "source": T1_NOTE + "overlap longest: the 'delivery' match lies strictly inside the longer 'fast "
    "delivery' match and is dropped -> v0 [4], v2 [4]; v1 has only 'delivery' -> [3]; v3 matches do not "
    "overlap -> [0,1]. Parent explicit, so delivery is not implied.",
})
T2 = {
    "version": "2",
    "themes": [
        {"id": "staff", "phrases": ["personnel aimable", "freundliches Personal"], "keywords": ["amabilidad"]},
        {"id": "delivery_late", "phrases": ["livraison en retard", "zu spät", "entrega tardía"]},
        {"id": "price", "keywords": ["prix", "précio*", "Preis"]},
    ],
}
V3 = [
    "PERSONNEL AIMABLE et prix élevé",
    "Livraison EN RETARD, très déçu",
    "Die Lieferung kam ZU SPÄT",
    "Entrega tardia y precios altos",
    "Freundliches Personal, faire Preise",
    "Amabilidad",
    "Le personnel n'était pas aimable",
]
tag_cases.append({
    "name": "accent_and_case_folding_multilanguage",
    "input": {"taxonomy": T2, "verbatims": V3},
    "expect": {"offsets": [0, 2, 3, 4, 6, 7, 8, 8], "theme_index": [0, 2, 1, 1, 1, 2, 0, 0],
               "counts": [3, 3, 2], "n_untagged": 1, "coverage": 6 / 7, "share_untagged": 1 / 7},
    "tolerance": 1e-12,
    "source": "Hand derivation. Folding lower-cases and strips accents (NFKD, combining marks removed) in both "
    "rules and texts: 'zu spät' -> 'zu spat' matches 'ZU SPÄT'; 'entrega tardía' -> 'entrega tardia' matches "
    "the unaccented text; 'précio*' -> prefix 'precio' matches 'precios'. 'Preis' (no *) does not match "
    "'Preise' (word boundary). v6 'le personnel n'etait pas aimable' has no contiguous 'personnel aimable' "
    "-> untagged. Themes: 0 staff, 1 delivery_late, 2 price.",
})
tag_cases.append({
    "name": "negation_cues_by_language",
    "input": {"taxonomy": {"version": "3", "themes": [{"id": "problem", "keywords": ["problemas", "problems"]}]},
              "verbatims": ["sin problemas", "sin problemas", "no problems"], "languages": ["es", "en", ""]},
    "expect": {"offsets": [0, 0, 1, 1], "theme_index": [0], "counts": [1], "n_untagged": 2},
    "tolerance": 1e-12,
    "source": "Hand derivation with the built-in cues: 'sin' is a Spanish cue, not an English one. v0 (es) "
    "negated -> suppressed; v1 (en) 'sin' is no cue -> tagged; v2 ('' = every language) 'no' is a cue -> "
    "suppressed.",
})
tag_cases.append({
    "name": "negation_window_stops_at_punctuation",
    "input": {"taxonomy": with_policy(T1, window=5),
              "verbatims": ["No, the invoice was right", "Never got an invoice", "never got my invoice. Staff rude"]},
    "expect": {"offsets": [0, 1, 1, 2], "theme_index": [0, 2]},
    "tolerance": 1e-12,
    "source": T1_NOTE + "Window 5. v0 'no, the invoice was right': the window of 'invoice' reads 'the' then "
    "meets ',' and stops -> not negated -> [0]. v1: 'an', 'got', 'never' (cue) -> suppressed. v2: 'invoice' "
    "negated by 'never'; 'staff' and 'rude' windows stop at '.' -> [2].",
})
for name, tax, why in [
    ("error_cycle", {"version": "1", "themes": [{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}]},
     "a -> b -> a is a cycle"),
    ("error_unknown_parent", {"version": "1", "themes": [{"id": "a", "parent": "zzz"}]}, "parent zzz does not exist"),
    ("error_duplicate_id", {"version": "1", "themes": [{"id": "a"}, {"id": "a"}]}, "id a twice"),
    ("error_unknown_field", {"version": "1", "themes": [{"id": "a", "phrase": ["x"]}]}, "deny_unknown_fields: 'phrase'"),
    ("error_empty_version", {"version": " ", "themes": [{"id": "a"}]}, "blank version"),
    ("error_multiword_keyword", {"version": "1", "themes": [{"id": "a", "keywords": ["two words"]}]}, "keywords are single words"),
]:
    tag_cases.append({"name": name, "input": {"taxonomy": tax, "verbatims": ["x"]},
                      "error": {"kind": "invalid_argument"}, "source": "Taxonomy.validate(): " + why})
tag_cases.append({"name": "error_unknown_language",
                  "input": {"taxonomy": T1, "verbatims": ["x"], "languages": ["xx"]},
                  "error": {"kind": "invalid_argument"}, "source": "language xx has no cues in the document"})
tag_cases.append({"name": "error_no_verbatims", "input": {"taxonomy": T1, "verbatims": []},
                  "error": {"kind": "empty_input"}, "source": "no verbatims"})
write("tag_themes", "tag_themes", "Multi-label theme tagging: folding, negation, overlaps, parents.", tag_cases)

# ---- impact ----
impact_cases = [{
    "name": "revenue_at_risk",
    "input": {"taxonomy": T1, "verbatims": V1, "sentiment": [-0.8, 0.3, -0.6, -0.2, 0.7, "NaN"],
              "value": [100, 50, 200, 80, 30, 10]},
    "expect": {
        "n_verbatims": 5, "n_missing_sentiment": 1, "value_basis": "value",
        "rows.0.id": "billing", "rows.0.n": 3, "rows.0.frequency": 0.6, "rows.0.n_negative": 2,
        "rows.0.negative_share": 2 / 3, "rows.0.value": 230, "rows.0.impact": 92.0,
        "rows.1.id": "staff", "rows.1.impact": 40.0, "rows.2.id": "delivery", "rows.2.impact": 22.0,
        "rows.2.negative_share": 0.5, "rows.3.id": "billing.double", "rows.3.impact": 20.0,
        "rows.4.id": "delivery.speed", "rows.4.impact": 0.0, "rows.4.negative_share": 0.0, "rows.4.rank": 5,
    },
    "tolerance": 1e-12,
    "source": "Hand derivation. Tags as in tag_themes/negation_suppress: v0 [billing, billing.double], v1 "
    "[billing], v2 [staff], v3 [billing, delivery], v4 [delivery, delivery.speed]; v5 has NaN sentiment and "
    "is excluded (N = 5). Negative (< 0): v0, v2, v3. billing: f 3/5, s 2/3, value 100+50+80 = 230 -> 92; "
    "staff: 1/5 x 1 x 200 = 40; delivery: 2/5 x 1/2 x (80+30) = 22; billing.double: 1/5 x 1 x 100 = 20; "
    "delivery.speed: 1/5 x 0 x 30 = 0.",
}, {
    "name": "customers_at_risk_ties_keep_document_order",
    "input": {"taxonomy": T1, "verbatims": V1, "sentiment": [-0.8, 0.3, -0.6, -0.2, 0.7, 0.1]},
    "expect": {
        "n_verbatims": 6, "value_basis": "customers",
        "rows.0.id": "billing", "rows.0.impact": 1.0, "rows.1.id": "delivery", "rows.1.impact": 1 / 3,
        "rows.2.id": "billing.double", "rows.2.impact": 1 / 6, "rows.3.id": "staff", "rows.3.impact": 1 / 6,
        "rows.4.id": "delivery.speed", "rows.4.impact": 0.0,
    },
    "tolerance": 1e-12,
    "source": "Hand derivation, N = 6, value = customers (n_t). billing 3/6 x 2/3 x 3 = 1; delivery 2/6 x 1/2 "
    "x 2 = 1/3; billing.double 1/6 x 1 x 1 = 1/6 and staff 1/6 x 1 x 1 = 1/6 tie -> document order; "
    "delivery.speed 0.",
}, {
    "name": "error_negative_value", "input": {"taxonomy": T1, "verbatims": V1, "sentiment": [0, 0, 0, 0, 0, 0],
                                             "value": [1, 1, -1, 1, 1, 1]},
    "error": {"kind": "invalid_weight"}, "source": "value[2] = -1 is not a valid value at risk",
}]
write("theme_impact", "theme_impact", "Pain-point ranking: frequency x negative share x value.", impact_cases)

write("theme_trend", "theme_trend", "Theme frequency by period and its trend.", [{
    "name": "three_periods_unsorted_codes",
    "input": {"taxonomy": T1, "verbatims": V1, "periods": [3, 3, 1, 1, 2, 2]},
    "expect": {
        "periods": [1, 2, 3], "n_by_period": [2, 2, 2],
        "themes.0.counts": [1, 0, 2], "themes.0.shares": [0.5, 0.0, 1.0], "themes.0.slope": 0.25,
        "themes.0.last_change": 1.0,
        "themes.1.shares": [0.0, 0.0, 0.5], "themes.1.slope": 0.25, "themes.1.last_change": 0.5,
        "themes.2.shares": [0.5, 0.0, 0.0], "themes.2.slope": -0.25, "themes.2.last_change": 0.0,
        "themes.3.shares": [0.5, 0.5, 0.0], "themes.3.slope": -0.25, "themes.3.last_change": -0.5,
        "themes.4.shares": [0.0, 0.5, 0.0], "themes.4.slope": 0.0, "themes.4.last_change": -0.5,
    },
    "tolerance": 1e-12,
    "source": "Hand derivation. Tags as in tag_themes/negation_suppress. Period 1 = v2, v3; 2 = v4, v5; 3 = "
    "v0, v1. Slope = sum((j - 1) share_j) / 2 over positions j = 0, 1, 2; last_change = share_3 - share_2.",
}])

# ---- validation ----
labels = [["billing.double"], [], ["billing.double", "staff"], ["billing", "delivery"], ["delivery.speed"], ["staff"]]
ids = [t["id"] for t in T1["themes"]]
parent = {t["id"]: t.get("parent") for t in T1["themes"]}
pred_lists = [[0, 1], [0], [2], [0, 3], [3, 4], []]
def closure(ls):
    out = set()
    for x in ls:
        while x:
            out.add(x)
            x = parent[x]
    return out
Y = np.array([[ids[k] in closure(l) for k in range(5)] for l in labels], dtype=int)
P = np.array([[k in p for k in range(5)] for p in pred_lists], dtype=int)
prec, rec, f1, _ = precision_recall_fscore_support(Y, P, average=None, zero_division=0)
kap = [cohen_kappa_score(Y[:, k], P[:, k]) for k in range(5)]
mp, mr, mf, _ = precision_recall_fscore_support(Y, P, average="micro")
_, _, macf, _ = precision_recall_fscore_support(Y, P, average="macro")
expect = {"n": 6, "micro_precision": mp, "micro_recall": mr, "micro_f1": mf, "macro_f1": macf,
          "parent_policy": "implied"}
for k in range(5):
    expect[f"themes.{k}.precision"] = prec[k]
    expect[f"themes.{k}.recall"] = rec[k]
    expect[f"themes.{k}.f1"] = f1[k]
    expect[f"themes.{k}.kappa"] = kap[k]
expect.update({"themes.0.tp": 2, "themes.0.fp": 1, "themes.0.fn": 1, "themes.0.tn": 2})
hand = [2 / 3, 2 / 3, 2 / 3, 1 / 3, 1.0, 0.5, 2 / 3, 4 / 7]
assert np.allclose([prec[0], rec[0], f1[0], kap[0], prec[1], rec[1], f1[1], kap[1]], hand, atol=1e-15)
assert abs(mp - 7 / 8) < 1e-15 and abs(mr - 0.7) < 1e-15 and abs(macf - 0.8) < 1e-15
write("validate_taxonomy", "validate_taxonomy", "Taxonomy against a hand-labelled sample.", [{
    "name": "per_theme_precision_recall_kappa",
    "input": {"taxonomy": T1, "verbatims": V1, "labels": labels},
    "expect": expect,
    "tolerance": 1e-12,
    "source": "Tags as in tag_themes/negation_suppress; labels get implied parents (billing.double -> "
    "billing, delivery.speed -> delivery). Hand: billing tp 2 fp 1 fn 1 tn 2 -> P = R = F1 = 2/3, kappa "
    "(4/6 - 1/2)/(1/2) = 1/3; billing.double and staff P 1, R 1/2, kappa 4/7; delivery and delivery.speed "
    "kappa 1; micro P 7/8 R 7/10, macro F1 0.8. Cross-checked with sklearn 1.x "
    "precision_recall_fscore_support(Y, P, average=None/'micro'/'macro') and cohen_kappa_score(Y[:,k], "
    "P[:,k]) on the presence matrices.",
}, {
    "name": "error_unknown_label", "input": {"taxonomy": T1, "verbatims": V1,
                                             "labels": [["nope"], [], [], [], [], []]},
    "error": {"kind": "invalid_argument"}, "source": "labels[0] names a theme not in the taxonomy",
}])

# ---- version mapping ----
OLD = {"version": "2025", "themes": [{"id": "delivery"}, {"id": "price"}, {"id": "fees"}, {"id": "app_crash"},
                                      {"id": "legacy"}, {"id": "support"}]}
NEW = {"version": "2026", "themes": [{"id": "delivery.speed"}, {"id": "delivery.damage"}, {"id": "pricing"},
                                      {"id": "app"}, {"id": "support"}, {"id": "sustainability"}]}
MAP = {"from_version": "2025", "to_version": "2026", "map": [
    {"from": "delivery", "to": [{"id": "delivery.speed", "share": 0.75}, {"id": "delivery.damage", "share": 0.25}]},
    {"from": "price", "to": [{"id": "pricing"}]}, {"from": "fees", "to": [{"id": "pricing"}]},
    {"from": "app_crash", "to": [{"id": "app"}]}, {"from": "legacy", "to": []}]}
BAD = json.loads(json.dumps(MAP))
BAD["map"][0]["to"][1]["share"] = 0.2
write("map_theme_counts", "map_theme_counts", "Counts carried from one taxonomy version to the next.", [{
    "name": "split_merge_rename_retire_identity",
    "input": {"old": OLD, "new": NEW, "map": MAP, "counts": [40, 10, 5, 7, 3, 4]},
    "expect": {"ids": ["delivery.speed", "delivery.damage", "pricing", "app", "support", "sustainability"],
               "counts": [30.0, 10.0, 15.0, 7.0, 4.0, 0.0], "dropped": 3.0, "new_only": ["sustainability"],
               "lineage.0.kind": "split", "lineage.1.kind": "merge", "lineage.2.kind": "merge",
               "lineage.3.kind": "rename", "lineage.4.kind": "retired", "lineage.5.kind": "identity"},
    "tolerance": 1e-12,
    "source": "Hand: delivery 40 split 0.75/0.25 -> 30 and 10; price 10 + fees 5 merge -> pricing 15; "
    "app_crash 7 renamed app; legacy 3 retired (dropped); support 4 unmapped -> identity; sustainability "
    "is new (0, listed in new_only).",
}, {
    "name": "error_shares_do_not_sum_to_one",
    "input": {"old": OLD, "new": NEW, "map": BAD, "counts": [40, 10, 5, 7, 3, 4]},
    "error": {"kind": "invalid_argument"}, "source": "0.75 + 0.2 = 0.95 != 1",
}])

# ---- isotonic ----
x = np.array([1, 2, 2, 3, 4, 5, 5, 6, 7, 8], float)
y = np.array([-0.9, -0.2, -0.6, -0.4, 0.1, 0.3, -0.1, 0.2, 0.8, 0.6])
w = np.array([1, 2, 1, 1, 3, 1, 1, 2, 1, 1], float)
ir = IsotonicRegression(out_of_bounds="clip").fit(x, y, sample_weight=w)
ux = np.unique(x)
fitted = ir.predict(ux)
at = np.array([0, 1.5, 2.5, 5.5, 9, 4, "nan"], dtype=float)
pred = ir.predict(np.nan_to_num(at, nan=4))
vals = [float(v) for v in pred[:-1]] + [None]
std_cases = [{
    "name": "isotonic_weighted_ties_vs_sklearn",
    "input": {"scores": [0, 1.5, 2.5, 5.5, 9, 4, "NaN"],
              "method": {"method": "isotonic", "reference_scores": x.tolist(), "reference_targets": y.tolist(),
                         "reference_weights": w.tolist()}},
    "expect": {"values": vals, "n_missing": 1, "n_clipped": 2, "method": "isotonic",
               "fit.x": ux.tolist(), "fit.y": fitted.tolist()},
    "tolerance": 1e-12,
    "source": "scikit-learn %s: IsotonicRegression(out_of_bounds='clip').fit(x, y, sample_weight=w); "
    "fit.y = predict(unique(x)); values = predict([0, 1.5, 2.5, 5.5, 9, 4]) (0 and 9 are clipped); NaN -> "
    "None." % __import__("sklearn").__version__,
}, {
    "name": "linear_reversed_1_to_5",
    "input": {"scores": [1, 2, 3, 4, 5, "NaN"], "method": {"method": "linear", "source_min": 5, "source_max": 1}},
    "expect": {"values": [1.0, 0.5, 0.0, -0.5, -1.0, None], "n_missing": 1, "method": "linear"},
    "tolerance": 1e-12,
    "source": "Hand: y = -1 + 2 (x - 5)/(1 - 5) (1 = very positive)",
}, {
    "name": "linear_0_to_10_clip",
    "input": {"scores": [0, 2.5, 10, 11], "method": {"method": "linear", "source_min": 0, "source_max": 10,
                                                        "out_of_range": "clip"}},
    "expect": {"values": [-1.0, -0.5, 1.0, 1.0], "n_clipped": 1},
    "tolerance": 1e-12,
    "source": "Hand: y = -1 + 2x/10; 11 is clipped to 10",
}, {
    "name": "error_linear_out_of_range",
    "input": {"scores": [0, 11], "method": {"method": "linear", "source_min": 0, "source_max": 10}},
    "error": {"kind": "out_of_scale"}, "source": "11 outside the declared source range, policy error",
}, {
    "name": "error_isotonic_target_outside_scale",
    "input": {"scores": [1], "method": {"method": "isotonic", "reference_scores": [1, 2],
                                        "reference_targets": [0, 2]}},
    "error": {"kind": "out_of_scale"}, "source": "reference target 2 is outside -1..1",
}]
write("standardise_sentiment", "standardise_sentiment", "Provider scores onto -1..1.", std_cases)

x2 = np.array([3, 1, 2, 5, 4, 6, 7], float)
y2 = np.array([0.2, 0.5, -0.1, 0.9, 0.4, 0.3, 1.0])
ir2 = IsotonicRegression().fit(x2, y2)
iso_r = r("o <- order(c(3,1,2,5,4,6,7)); f <- isoreg(c(3,1,2,5,4,6,7), c(0.2,0.5,-0.1,0.9,0.4,0.3,1.0)); "
          "cat(sprintf('%.17g', f$yf))")
assert np.allclose(iso_r, ir2.predict(np.sort(x2)), atol=1e-15)
ir3 = IsotonicRegression(increasing=False).fit(x, y, sample_weight=w)
write("isotonic_fit", "isotonic_fit", "Weighted pool-adjacent-violators.", [{
    "name": "unweighted_vs_sklearn_and_r_isoreg",
    "input": {"scores": x2.tolist(), "targets": y2.tolist()},
    "expect": {"x": np.sort(x2).tolist(), "y": ir2.predict(np.sort(x2)).tolist(), "n": 7},
    "tolerance": 1e-12,
    "source": "sklearn IsotonicRegression().fit(x, y).predict(sorted x) = R 4.2 isoreg(x, y)$yf "
    "(checked equal to 1e-15)",
}, {
    "name": "decreasing_weighted_ties_vs_sklearn",
    "input": {"scores": x.tolist(), "targets": y.tolist(), "weights": w.tolist(), "increasing": False},
    "expect": {"x": ux.tolist(), "y": ir3.predict(ux).tolist(), "weight": [1, 3, 1, 3, 2, 2, 1, 1],
               "increasing": False},
    "tolerance": 1e-12,
    "source": "sklearn IsotonicRegression(increasing=False).fit(x, y, sample_weight=w).predict(unique(x)); "
    "weights at tied x summed by hand",
}, {
    "name": "error_zero_weight", "input": {"scores": [1, 2], "targets": [0, 1], "weights": [1, 0]},
    "error": {"kind": "invalid_weight"}, "source": "weights must be positive",
}])

# ---- kappa ----
a = [0, 1, 2, 3, 1, 2, 0, 3, 2, 1, 0, 2, 3, 3, 1, 2, 0, 1, 2, 3, 1, 2]
b = [0, 1, 2, 2, 1, 3, 1, 3, 2, 1, 0, 1, 3, 2, 2, 2, 0, 0, 2, 3, 1, 3]
ra = ",".join(map(str, a))
rb = ",".join(map(str, b))
vcd = r("suppressMessages(library(vcd)); t <- table(factor(c(%s), levels=0:3), factor(c(%s), levels=0:3)); "
        "k1 <- Kappa(t, weights='Equal-Spacing'); k2 <- Kappa(t, weights='Fleiss-Cohen'); "
        "cat(sprintf('%%.17g', c(k1$Unweighted, k1$Weighted, k2$Weighted)))" % (ra, rb))
z = stats.norm.ppf(0.975)
kcases = []
for wname, sk, (kv, ase) in [("none", None, vcd[0:2]), ("linear", "linear", vcd[2:4]),
                             ("quadratic", "quadratic", vcd[4:6])]:
    ks = cohen_kappa_score(a, b, weights=sk)
    assert abs(ks - kv) < 1e-12, (ks, kv)
    kcases.append({
        "name": f"weights_{wname}",
        "input": {"a": a, "b": b, "weights": wname},
        "expect": {"kappa": ks, "se": ase, "lower": kv - z * ase, "upper": kv + z * ase, "n": 22,
                   "n_categories": 4, "weights": wname},
        "tolerance": 1e-9,
        "source": "kappa: sklearn cohen_kappa_score(a, b, weights=%r) (= vcd); se: R vcd 1.4 Kappa(table(a, b), "
        "weights=%s) ASE (Fleiss-Cohen-Everitt 1969); interval kappa -/+ qnorm(0.975) ASE (vcd confint)."
        % (sk, "'Equal-Spacing'" if wname == "linear" else "'Fleiss-Cohen'"),
    })
kcases.append({"name": "error_code_outside_n_categories", "input": {"a": [0, 1, 4], "b": [0, 1, 1], "n_categories": 3},
               "error": {"kind": "out_of_scale"}, "source": "code 4 >= n_categories 3"})
kcases.append({"name": "error_length_mismatch", "input": {"a": [0, 1], "b": [0]},
               "error": {"kind": "length_mismatch"}, "source": "lengths 2 and 1"})
write("cohen_kappa", "cohen_kappa", "Cohen's kappa with weights and FCE standard error.", kcases)

# ---- Bland-Altman ----
pa = [0.62, -0.35, 0.10, 0.81, -0.72, 0.05, 0.44, -0.12, 0.30, -0.55, 0.90, -0.05]
pb = [0.55, -0.20, 0.02, 0.70, -0.80, 0.15, 0.31, -0.25, 0.41, -0.40, 0.78, -0.10]
code = ("a <- c(%s); b <- c(%s); d <- a - b; n <- length(d); m <- mean(d); s <- sd(d); z <- qnorm(0.975); "
        "t <- qt(0.975, n - 1); sel <- s * sqrt(1/n + z^2/(2*(n-1))); "
        "cat(sprintf('%%.17g', c(m, s, m - z*s, m + z*s, m - t*s/sqrt(n), m + t*s/sqrt(n), "
        "m - z*s - t*sel, m - z*s + t*sel, m + z*s - t*sel, m + z*s + t*sel)))"
        % (",".join(map(str, pa)), ",".join(map(str, pb))))
ba = r(code)
keys = ["bias", "sd", "lower_loa", "upper_loa", "bias_lower", "bias_upper", "lower_loa_lower", "lower_loa_upper",
        "upper_loa_lower", "upper_loa_upper"]
ba_exp = dict(zip(keys, ba))
write("bland_altman", "bland_altman", "Bland-Altman bias and limits of agreement with CIs.", [{
    "name": "twelve_pairs_with_missing",
    "input": {"a": pa + ["NaN"], "b": pb + [0.3]},
    "expect": dict(ba_exp, n=12, n_missing=1),
    "tolerance": 1e-9,
    "source": "R 4.2: " + code.replace("%%", "%") + " (Bland & Altman 1999, Stat Methods Med Res 8:135, "
    "se of a limit sd*sqrt(1/n + z^2/(2(n-1)))); the NaN pair is excluded.",
}, {
    "name": "error_one_pair", "input": {"a": [1.0], "b": [0.5]},
    "error": {"kind": "insufficient_data"}, "source": "an sd needs two pairs",
}])

pr = stats.pearsonr(pa, pb)
sr = stats.spearmanr(pa, pb)
write("provider_agreement", "provider_agreement", "Two providers: correlation and Bland-Altman.", [{
    "name": "twelve_pairs",
    "input": {"a": pa, "b": pb},
    "expect": {"n": 12, "pearson.r": pr.statistic, "pearson.p_value": pr.pvalue, "spearman.r": sr.statistic,
               "spearman.p_value": sr.pvalue, "bland_altman.bias": ba_exp["bias"],
               "bland_altman.upper_loa": ba_exp["upper_loa"]},
    "tolerance": 1e-9,
    "source": "scipy %s stats.pearsonr(a, b), stats.spearmanr(a, b) (t p-values, n = 12 > 10); Bland-Altman "
    "from the R formulas of bland_altman.json" % __import__("scipy").__version__,
}])

sent = [-0.8, -0.3, 0.0, 0.02, 0.6, 0.9, 0.7, -0.5, 0.05, -0.05, 0.4, -0.9, 0.1, "NaN", 0.3]
score = [2, 5, 7, 8, 9, 10, 8, 6, 9, 7, 10, 0, 6, 9, 9]
pairs = [(s, y) for s, y in zip(sent, score) if s != "NaN"]
cs = [0 if s <= -0.05 else (2 if s >= 0.05 else 1) for s, _ in pairs]
cn = [0 if y <= 6 else (1 if y <= 8 else 2) for _, y in pairs]
sp = stats.spearmanr([s for s, _ in pairs], [y for _, y in pairs])
write("sentiment_survey_agreement", "sentiment_survey_agreement", "Text sentiment vs the NPS answer.", [{
    "name": "fourteen_responses",
    "input": {"sentiment": sent, "scores": score},
    "expect": {"n": 14, "n_missing": 1, "kappa.kappa": cohen_kappa_score(cs, cn),
               "weighted_kappa.kappa": cohen_kappa_score(cs, cn, weights="linear"),
               "spearman.r": sp.statistic, "spearman.p_value": sp.pvalue,
               "kappa.confusion.0": [int(sum(1 for p, q in zip(cs, cn) if p == 0 and q == j)) for j in range(3)]},
    "tolerance": 1e-9,
    "source": "Categories by hand: sentiment <= -0.05 negative, >= 0.05 positive, else neutral; score 0-6 "
    "detractor, 7-8 passive, 9-10 promoter; sklearn cohen_kappa_score(cs, cn) and (weights='linear'); scipy "
    "spearmanr(sentiment, score) on the 14 complete pairs (t p-value).",
}, {
    "name": "error_non_integer_score", "input": {"sentiment": [0.1, 0.2], "scores": [7.5, 9]},
    "error": {"kind": "non_integer"}, "source": "7.5 is not a 0-10 scale point",
}])
print("ok")
