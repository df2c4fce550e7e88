"""apistrat columns (0-based level codes in R's factor level order) and apipop margins, read from R's survey."""
from wcommon import R

_D = None
VARS = ["stype", "sch.wide", "awards", "comp.imp", "enrollbin"]
LEVELS = {"stype": ["E", "H", "M"], "sch.wide": ["No", "Yes"], "awards": ["No", "Yes"],
          "comp.imp": ["No", "Yes"], "enrollbin": ["[0,300)", "[300,500)", "[500,800)", "[800,Inf)"]}


def api():
    global _D
    if _D is None:
        code = "".join(f'stopifnot(identical(levels(apistrat${v}), {rstr(LEVELS[v])}));'
                       f'out(as.integer(apistrat${v})-1);' for v in VARS)
        code += "out(apistrat$pw);"
        code += "".join(f"out(as.vector(table(apipop${v})));" for v in VARS[:4])
        code += "".join(f"out(as.vector(table(pp${v})));" for v in VARS)
        code += "out(as.vector(xtabs(~sch.wide+stype, apipop)));"   # R column-major: stype most significant
        x = R(code)
        d = {}
        i = 0
        for v in VARS:
            d[v] = [int(t) for t in x[i:i + 200]]
            i += 200
        d["pw"] = x[i:i + 200]
        i += 200
        d["pop"] = {}
        for v in VARS[:4]:
            L = len(LEVELS[v])
            d["pop"][v] = x[i:i + L]
            i += L
        d["pp"] = {}
        for v in VARS:
            L = len(LEVELS[v])
            d["pp"][v] = x[i:i + L]
            i += L
        d["pop_cross_stype_schwide"] = x[i:i + 6]
        i += 6
        assert i == len(x)
        _D = d
    return _D


def rstr(xs):
    return "c(" + ",".join('"' + s + '"' for s in xs) + ")"
