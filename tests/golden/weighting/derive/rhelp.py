"""R code builders shared by the weighting generators."""
from wcommon import rvec, rint

CTRL = "control=list(epsilon=1e-12, maxit=1000)"


def r_data(names, codes, levels, base=None):
    """R code that builds data.frame d (factor codes with levels 0..L-1, column base) and design des."""
    cols = [f"{nm}=factor({rint(c)}, levels=0:{L - 1})" for nm, c, L in zip(names, codes, levels)]
    cols.append(f"base={rvec(base) if base is not None else 'rep(1, ' + str(len(codes[0])) + ')'}")
    return f"d <- data.frame({', '.join(cols)}); des <- svydesign(ids=~1, weights=~base, data=d);"


def r_data_desc(names, levels, weighted):
    cols = ", ".join(f"{nm}=factor(codes[[{i + 1}]], levels=0:{L - 1})" for i, (nm, L) in enumerate(zip(names, levels)))
    return (f"d <- data.frame({cols}, base={'base' if weighted else '1'}); "
            f"des <- svydesign(ids=~1, weights=~base, data=d)")


def r_margins(names, targets):
    return "list(" + ", ".join(f"data.frame({nm}=factor(0:{len(t) - 1}), Freq={rvec(t)})"
                               for nm, t in zip(names, targets)) + ")"


def r_margins_desc(names, targets, expr=None):
    return "list(" + ", ".join(f"data.frame({nm}=factor(0:{len(t) - 1}), Freq={expr(i) if expr else 'targets[[%d]]' % (i + 1)})"
                               for i, (nm, t) in enumerate(zip(names, targets))) + ")"


def r_formulas(names):
    return "list(" + ", ".join("~" + nm for nm in names) + ")"
