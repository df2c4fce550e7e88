"""Diffs target/golden-out/{rust,python,node}.tsv: every case, field and f64 bit pattern must agree.

Each language may also write one file per golden family, `<lang>-<family>.tsv` (tests/golden/<family>/):
all of a language's files are merged before the diff, so a case missing from one language is a difference.

Ends with the line `golden: N passed, 0 failed` (N = cases identical in all three languages).
"""
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else "target/golden-out")
langs = ["rust", "python", "node"]
tables = {}
for lang in langs:
    path = out / f"{lang}.tsv"
    if not path.exists():
        print(f"missing {path}: the {lang} suite did not write its golden output")
        print("golden: 0 passed, 1 failed")
        sys.exit(1)
    cases = {}
    lines = []
    for part in [path] + sorted(out.glob(f"{lang}-*.tsv")):
        lines += part.read_text().splitlines()
    for line in lines:
        case, field, value = line.split("\t", 2)
        cases.setdefault(case, {})[field] = value
    tables[lang] = cases

names = sorted(set().union(*(t.keys() for t in tables.values())))
passed, failed = 0, 0
for name in names:
    versions = [tables[l].get(name) for l in langs]
    if all(v == versions[0] for v in versions):
        passed += 1
        continue
    failed += 1
    print(f"DIFF {name}")
    fields = sorted(set().union(*((v or {}).keys() for v in versions)))
    for f in fields:
        vals = [(v or {}).get(f, "<absent>") for v in versions]
        if len(set(vals)) > 1:
            print("   ", f, *(f"{l}={x}" for l, x in zip(langs, vals)))
print(f"golden: {passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
