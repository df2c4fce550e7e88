//! Bindings of core `weighting`: raking, calibration and post-stratification (the iterative fits also as
//! promises computed off the event loop), trimming and weight diagnostics.
//!
//! Data come as an object of named columns and targets as an object keyed by variable (and by level
//! label): the binding turns names and labels into the core's code columns and target vectors (level
//! order = key order of the targets) and puts the names back into results (`name`, `levels`, `label`)
//! and into error messages. Everything else (validation, fitting, reports) is the core's.

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::{Map, Value};

use cxkpi::weighting::{self as core, TrimOptions, WeightingOptions};
use cxkpi::CxkpiError;

use crate::convert::{
    self, code_column, column, label_codes, opt_column, options_split, CodeColumn, Column, Js, Tree,
};
use crate::error::{invalid, Failure, Res};
use crate::metrics::{arg, opt_arg, run, spawn, Job, Work};

// ------------------------------------------------------------------------------------------------------
// names and labels

/// The caller's names for what the core numbers: weighting variables (in targets' key order, or `by`
/// order for post-stratification) and the labels of their levels.
#[derive(Debug, Clone, Default)]
struct Names {
    vars: Vec<String>,
    /// Level labels of each variable, when its targets were keyed by label.
    labels: Vec<Option<Vec<String>>>,
    /// Post-stratification: the number of levels of each crossed variable (empty for margin fits).
    crossed: Vec<usize>,
}

/// `"North"` for a label, `1` for a level known by code only.
fn quoted(s: &str) -> String {
    format!("{s:?}")
}

impl Names {
    fn var(&self, v: usize) -> String {
        self.vars
            .get(v)
            .cloned()
            .unwrap_or_else(|| format!("variable {v}"))
    }

    fn label(&self, v: usize, l: usize) -> Option<&str> {
        self.labels.get(v)?.as_ref()?.get(l).map(|s| s.as_str())
    }

    /// A level as the caller wrote it: its label (quoted) or its code.
    fn level(&self, v: usize, l: usize) -> String {
        self.label(v, l).map_or_else(|| l.to_string(), quoted)
    }

    /// Where the target of a level sits in the caller's `targets`.
    fn target_path(&self, v: usize, l: usize) -> String {
        match self.label(v, l) {
            Some(s) => format!("targets.{}.{s}", self.var(v)),
            None => format!("targets.{}[{l}]", self.var(v)),
        }
    }

    fn has_labels(&self) -> bool {
        self.labels.iter().any(|l| l.is_some())
    }

    /// The level of each crossed variable in crossed cell `k` (first variable most significant).
    fn cell_levels(&self, k: usize) -> Vec<usize> {
        let mut out = vec![0; self.crossed.len()];
        let mut rest = k;
        for v in (0..self.crossed.len()).rev() {
            let n = self.crossed[v].max(1);
            out[v] = rest % n;
            rest /= n;
        }
        out
    }

    /// `targets.North.18-34` / `targets[0][1]`.
    fn cell_path(&self, k: usize) -> String {
        let mut s = String::from("targets");
        for (v, l) in self.cell_levels(k).into_iter().enumerate() {
            match self.label(v, l) {
                Some(x) => {
                    s.push('.');
                    s.push_str(x);
                }
                None => s.push_str(&format!("[{l}]")),
            }
        }
        s
    }

    /// `region = "North", age = "18-34"`.
    fn cell_desc(&self, k: usize) -> String {
        self.cell_levels(k)
            .into_iter()
            .enumerate()
            .map(|(v, l)| format!("{} = {}", self.var(v), self.level(v, l)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `North|18-34` (codes for variables without labels).
    fn cell_label(&self, k: usize) -> String {
        self.cell_levels(k)
            .into_iter()
            .enumerate()
            .map(|(v, l)| {
                self.label(v, l)
                    .map_or_else(|| l.to_string(), str::to_string)
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    /// Restates a core error in the caller's names: `codes[v]` becomes `data.<name>`, `targets[v][l]`
    /// becomes `targets.<name>.<label>`, cells and empty levels are named by their labels. Errors that
    /// name nothing of the data (e.g. an option) pass unchanged.
    fn restate(&self, f: Failure) -> Failure {
        let Failure::Core(e) = f else { return f };
        let d = e.details();
        match &e {
            CxkpiError::EmptyLevel {
                variable,
                level,
                target,
            } => {
                let (what, path) = if self.crossed.is_empty() {
                    (
                        format!(
                            "level {} of `{}`",
                            self.level(*variable, *level),
                            self.var(*variable)
                        ),
                        self.target_path(*variable, *level),
                    )
                } else {
                    (
                        format!("the cell {}", self.cell_desc(*level)),
                        self.cell_path(*level),
                    )
                };
                return Failure::Named {
                    kind: d.kind,
                    message: format!(
                        "{what} has a target of {target} (`{path}`) but no respondent \
                         (emptyLevel: 'error'; use 'collapse' or 'drop')"
                    ),
                    arg: Some(path),
                    index: None,
                    value: Some(*target),
                };
            }
            CxkpiError::InconsistentMargins {
                first,
                first_total,
                other,
                other_total,
            } => {
                return Failure::Named {
                    kind: d.kind,
                    message: format!(
                        "margin totals disagree: `targets.{}` totals {first_total} but `targets.{}` \
                         totals {other_total} (every margin must add up to the same population)",
                        self.var(*first),
                        self.var(*other)
                    ),
                    arg: Some(format!("targets.{}", self.var(*other))),
                    index: None,
                    value: Some(*other_total),
                };
            }
            _ => {}
        }
        let mut arg = d.arg.clone();
        let mut message = d.message.clone();
        if self.crossed.is_empty() && d.kind == "infeasible" {
            if let Some((v, l, at, end)) = find_var_level(&message) {
                // "variable 0, level 1" (calibration bounds) -> "level "S" of `region`".
                let what = format!("level {} of `{}`", self.level(v, l), self.var(v));
                message.replace_range(at..end, &what);
                arg = arg.or_else(|| Some(self.target_path(v, l)));
            }
        }
        if let Some(a) = d.arg.as_deref() {
            if let Some((v, l)) = parse_two(a, "targets[") {
                arg = Some(self.target_path(v, l));
                message = message.replace(
                    &format!("level {l} of variable {v}"),
                    &format!("level {} of `{}`", self.level(v, l), self.var(v)),
                );
                message = message.replace(&format!("targets[{v}][{l}]"), &self.target_path(v, l));
            } else if let Some(k) = parse_one(a, "cell_targets[") {
                arg = Some(self.cell_path(k));
                message = message.replace(
                    &format!("cell {k} has"),
                    &format!("the cell {} has", self.cell_desc(k)),
                );
                message = message.replace(&format!("cell_targets[{k}]"), &self.cell_path(k));
            } else if let Some(rest) = a.strip_prefix("base (variable ") {
                if let Some((v, l)) = rest
                    .strip_suffix(')')
                    .and_then(|r| r.split_once(", level "))
                    .and_then(|(v, l)| Some((v.parse().ok()?, l.parse().ok()?)))
                {
                    let what = format!("base ({} = {})", self.var(v), self.level(v, l));
                    message = message.replace(a, &what);
                    arg = Some("base".into());
                }
            }
        }
        for v in (0..self.vars.len()).rev() {
            let from = format!("codes[{v}]");
            let to = format!("data.{}", self.vars[v]);
            if arg.as_deref() == Some(from.as_str()) {
                arg = Some(to.clone());
            }
            message = message.replace(&from, &to);
        }
        if arg == d.arg && message == d.message {
            return Failure::Core(e);
        }
        Failure::Named {
            kind: d.kind,
            message,
            arg,
            index: d.index,
            value: d.value,
        }
    }

    /// Adds the caller's names to a weighting result: `name` (and `levels` when labelled) in every margin,
    /// `name`, `label` and `intoLabel` in every level change; the weights become a `Float64Array`.
    fn decorate(&self, mut t: Tree) -> Tree {
        t.typed_field("weights");
        if let Some(Tree::Seq(margins)) = t.field_mut("margins") {
            for m in margins.iter_mut() {
                let v = index_of(m, "variable");
                m.insert_after("variable", "name", Tree::Str(self.var(v)));
                if let Some(Some(labels)) = self.labels.get(v) {
                    let seq = labels.iter().map(|s| Tree::Str(s.clone())).collect();
                    m.insert_after("name", "levels", Tree::Seq(seq));
                }
            }
        }
        if let Some(Tree::Seq(changes)) = t.field_mut("levelChanges") {
            for c in changes.iter_mut() {
                let v = index_of(c, "variable");
                let l = index_of(c, "level");
                let into = match c.field_mut("into") {
                    Some(Tree::Num(x)) => Some(*x as usize),
                    _ => None,
                };
                if self.crossed.is_empty() {
                    c.insert_after("variable", "name", Tree::Str(self.var(v)));
                    if let Some(Some(labels)) = self.labels.get(v) {
                        let lab =
                            |k: usize| labels.get(k).map_or(Tree::Null, |s| Tree::Str(s.clone()));
                        c.insert_after("level", "label", lab(l));
                        c.insert_after("into", "intoLabel", into.map_or(Tree::Null, lab));
                    }
                } else {
                    c.insert_after("variable", "name", Tree::Str(self.vars.join("|")));
                    if self.has_labels() {
                        c.insert_after("level", "label", Tree::Str(self.cell_label(l)));
                        let il = into.map_or(Tree::Null, |k| Tree::Str(self.cell_label(k)));
                        c.insert_after("into", "intoLabel", il);
                    }
                }
            }
        }
        t
    }
}

/// The first "variable V, level L" in a message: (V, L, start, end).
fn find_var_level(msg: &str) -> Option<(usize, usize, usize, usize)> {
    let at = msg.find("variable ")?;
    let rest = &msg[at + "variable ".len()..];
    let v_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let v = rest[..v_len].parse().ok()?;
    let rest = rest[v_len..].strip_prefix(", level ")?;
    let l_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let l = rest[..l_len].parse().ok()?;
    let end = at + "variable ".len() + v_len + ", level ".len() + l_len;
    Some((v, l, at, end))
}

fn index_of(t: &mut Tree, key: &str) -> usize {
    match t.field_mut(key) {
        Some(Tree::Num(x)) => *x as usize,
        _ => 0,
    }
}

/// `prefix` + `v]` -> v.
fn parse_one(s: &str, prefix: &str) -> Option<usize> {
    s.strip_prefix(prefix)?.strip_suffix(']')?.parse().ok()
}

/// `prefix` + `v][l]` -> (v, l).
fn parse_two(s: &str, prefix: &str) -> Option<(usize, usize)> {
    let (v, l) = s
        .strip_prefix(prefix)?
        .strip_suffix(']')?
        .split_once("][")?;
    Some((v.parse().ok()?, l.parse().ok()?))
}

/// A binding-side error about something the caller named (a column, a level): passed verbatim.
fn named(kind: &'static str, arg: &str, message: String) -> Failure {
    Failure::Named {
        kind,
        message,
        arg: Some(arg.to_string()),
        index: None,
        value: None,
    }
}

/// A core error whose argument is a caller's name: no camelCase conversion of that name.
fn verbatim(f: Failure) -> Failure {
    match f {
        Failure::Core(e) => {
            let d = e.details();
            Failure::Named {
                kind: d.kind,
                message: d.message,
                arg: d.arg,
                index: d.index,
                value: d.value,
            }
        }
        other => other,
    }
}

fn is_object(v: &Js) -> bool {
    v.type_of() == ValueType::Object && !v.is_array() && v.typed_array().is_none()
}

fn is_list(v: &Js) -> bool {
    v.is_array() || v.typed_array().is_some()
}

// ------------------------------------------------------------------------------------------------------
// data columns

/// The column of variable `name` as codes: a `Uint32Array` (borrowed), an array of whole-number codes,
/// or an array of string labels mapped to codes by the level order of `labels`.
fn data_column<'a>(data: Js, name: &str, labels: Option<&[String]>) -> Res<CodeColumn<'a>> {
    let argname = format!("data.{name}");
    let col = data.property(name)?;
    if col.is_nullish() {
        let have = data.keys()?.join(", ");
        return Err(named(
            "invalid_argument",
            &argname,
            format!(
                "`{argname}` is missing: the targets name the variable `{name}` but `data` has no such \
                 column (columns: {have})"
            ),
        ));
    }
    if col.typed_array().is_some() {
        return code_column(col, &argname).map_err(verbatim);
    }
    if !col.is_array() {
        return Err(named(
            "invalid_argument",
            &argname,
            format!(
                "`{argname}` must be a Uint32Array, an array of whole-number codes or an array of string \
                 labels"
            ),
        ));
    }
    // Labels or codes: told by the first element that is not null/undefined.
    let n = col.array_len();
    let mut strings = false;
    for i in 0..n {
        let e = col.element(i)?;
        if !e.is_nullish() {
            strings = e.type_of() == ValueType::String;
            break;
        }
    }
    if !strings {
        return code_column(col, &argname).map_err(verbatim);
    }
    let Some(levels) = labels else {
        return Err(named(
            "invalid_argument",
            &argname,
            format!(
                "`{argname}` holds labels (strings) but `targets.{name}` gives its targets by code (an \
                 array); key them by label instead, e.g. {{ {name}: {{ levelA: 40, levelB: 60 }} }}"
            ),
        ));
    };
    match label_codes(col, levels)? {
        Ok(codes) => Ok(CodeColumn::Owned(codes)),
        Err(i) => {
            let e = col.element(i as u32)?;
            let at = format!("{argname}[{i}]");
            Err(match e.type_of() {
                ValueType::String => {
                    let label = e.string().unwrap_or_default();
                    let known = levels.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", ");
                    Failure::Named {
                        kind: "out_of_scale",
                        message: format!(
                            "`{at}` = {} is not a level of `targets.{name}` (levels: {known}): every \
                             label in the data needs a target",
                            quoted(&label)
                        ),
                        arg: Some(argname),
                        index: Some(i),
                        value: None,
                    }
                }
                ValueType::Null | ValueType::Undefined => Failure::Named {
                    kind: "missing_value",
                    message: format!(
                        "`{at}` is missing (null or undefined): every row needs a level of each \
                         weighting variable"
                    ),
                    arg: Some(argname),
                    index: Some(i),
                    value: None,
                },
                _ => Failure::Named {
                    kind: "invalid_argument",
                    message: format!(
                        "`{at}` must be a string label like the rest of the column (labels and codes \
                         cannot be mixed)"
                    ),
                    arg: Some(at.clone()),
                    index: None,
                    value: None,
                },
            })
        }
    }
}

fn data_object(data: Js) -> Res<Js> {
    if !is_object(&data) {
        return Err(invalid(
            "data",
            "must be an object of columns { variable: Uint32Array | number[] | string[] }",
        ));
    }
    Ok(data)
}

// ------------------------------------------------------------------------------------------------------
// targets

/// Margin targets `{ variable: { level: target } | number[] }`: variable names, target vectors and level
/// labels, in key order.
fn margin_targets(t: Js) -> Res<(Names, Vec<Vec<f64>>)> {
    if !is_object(&t) {
        return Err(invalid(
            "targets",
            "must be an object { variable: { level: target } } or { variable: [target of code 0, ...] }",
        ));
    }
    let vars = t.keys()?;
    if vars.is_empty() {
        return Err(invalid(
            "targets",
            "names no weighting variable: give at least one { variable: { level: target } }",
        ));
    }
    let mut labels = Vec::with_capacity(vars.len());
    let mut targets = Vec::with_capacity(vars.len());
    for name in &vars {
        let path = format!("targets.{name}");
        let v = t.property(name)?;
        if is_list(&v) {
            targets.push(column(v, &path).map_err(verbatim)?.into_owned());
            labels.push(None);
        } else if is_object(&v) {
            let levels = v.keys()?;
            let mut xs = Vec::with_capacity(levels.len());
            for l in &levels {
                xs.push(leaf(v.property(l)?, &format!("{path}.{l}"))?);
            }
            targets.push(xs);
            labels.push(Some(levels));
        } else {
            return Err(named(
                "invalid_argument",
                &path,
                format!(
                    "`{path}` must be an object {{ level: target }} (level order = key order) or an array \
                     of targets by code"
                ),
            ));
        }
    }
    Ok((
        Names {
            vars,
            labels,
            crossed: Vec::new(),
        },
        targets,
    ))
}

/// A target number.
fn leaf(v: Js, path: &str) -> Res<f64> {
    v.number().ok_or_else(|| {
        named(
            "invalid_argument",
            path,
            format!("`{path}` must be a number (a population count or share)"),
        )
    })
}

/// Nested post-stratification targets as read from JS.
enum Node {
    Leaf(f64),
    Arr(Vec<Option<Node>>),
    Obj(Vec<(String, Node)>),
}

fn read_node(v: Js, depth: usize, by: &[String], path: &str) -> Res<Node> {
    if depth == by.len() {
        return leaf(v, path).map(Node::Leaf);
    }
    let expected = || {
        named(
            "invalid_argument",
            path,
            format!(
                "`{path}` must be an object {{ level: ... }} or an array by code (the nesting follows `by`: \
                 {}; the levels of `{}` are at this depth)",
                by.join(", "),
                by[depth]
            ),
        )
    };
    if v.typed_array().is_some() {
        if depth + 1 != by.len() {
            return Err(expected());
        }
        let xs = column(v, path).map_err(verbatim)?;
        return Ok(Node::Arr(xs.iter().map(|&x| Some(Node::Leaf(x))).collect()));
    }
    if v.is_array() {
        let n = v.array_len();
        let mut items = Vec::with_capacity(n as usize);
        for i in 0..n {
            let e = v.element(i)?;
            items.push(if e.is_nullish() && depth + 1 < by.len() {
                None
            } else {
                Some(read_node(e, depth + 1, by, &format!("{path}[{i}]"))?)
            });
        }
        return Ok(Node::Arr(items));
    }
    if is_object(&v) {
        let keys = v.keys()?;
        let mut items = Vec::with_capacity(keys.len());
        for k in keys {
            let child = read_node(v.property(&k)?, depth + 1, by, &format!("{path}.{k}"))?;
            items.push((k, child));
        }
        return Ok(Node::Obj(items));
    }
    Err(expected())
}

/// Per depth: labels in order of first appearance (objects) or the longest array (codes).
fn scan(node: &Node, depth: usize, seen: &mut [(bool, bool, Vec<String>, usize)]) {
    match node {
        Node::Leaf(_) => {}
        Node::Arr(items) => {
            seen[depth].1 = true;
            seen[depth].3 = seen[depth].3.max(items.len());
            items
                .iter()
                .flatten()
                .for_each(|c| scan(c, depth + 1, seen));
        }
        Node::Obj(items) => {
            seen[depth].0 = true;
            for (k, c) in items {
                if !seen[depth].2.contains(k) {
                    seen[depth].2.push(k.clone());
                }
                scan(c, depth + 1, seen);
            }
        }
    }
}

fn fill(node: &Node, depth: usize, at: usize, names: &Names, strides: &[usize], out: &mut [f64]) {
    match node {
        Node::Leaf(x) => out[at] = *x,
        Node::Arr(items) => {
            for (l, c) in items.iter().enumerate() {
                if let Some(c) = c {
                    fill(c, depth + 1, at + l * strides[depth], names, strides, out);
                }
            }
        }
        Node::Obj(items) => {
            let labels = names.labels[depth].as_deref().unwrap_or(&[]);
            for (k, c) in items {
                let l = labels.iter().position(|s| s == k).unwrap_or(0);
                fill(c, depth + 1, at + l * strides[depth], names, strides, out);
            }
        }
    }
}

/// Post-stratification targets nested by `by` (`{ a_level: { b_level: target } }` or arrays by code, one
/// level of nesting per variable; a cell left out has target 0) as the core's flat cell targets (first
/// variable most significant), with the names and level counts.
fn cell_targets(t: Js, by: Vec<String>) -> Res<(Names, Vec<f64>)> {
    let root = read_node(t, 0, &by, "targets")?;
    let mut seen = vec![(false, false, Vec::new(), 0usize); by.len() + 1];
    scan(&root, 0, &mut seen);
    let mut labels = Vec::with_capacity(by.len());
    let mut levels = Vec::with_capacity(by.len());
    for (d, name) in by.iter().enumerate() {
        let (obj, arr, ref ls, len) = seen[d];
        if obj && arr {
            return Err(named(
                "invalid_argument",
                "targets",
                format!(
                    "`targets` mixes labels (objects) and codes (arrays) for the levels of `{name}`: use \
                     one form at each depth"
                ),
            ));
        }
        if obj {
            levels.push(ls.len());
            labels.push(Some(ls.clone()));
        } else {
            levels.push(len);
            labels.push(None);
        }
    }
    let mut strides = vec![1usize; by.len()];
    for v in (0..by.len().saturating_sub(1)).rev() {
        strides[v] = strides[v + 1] * levels[v + 1];
    }
    let names = Names {
        vars: by,
        labels,
        crossed: levels,
    };
    let mut flat = vec![0.0; names.crossed.iter().product()];
    fill(&root, 0, 0, &names, &strides, &mut flat);
    Ok((names, flat))
}

/// `by`: a variable name or an array of names; absent = the only column of `data`.
fn read_by(by: Option<Js>, data: Js) -> Res<Vec<String>> {
    let Some(by) = by else {
        let cols = data.keys()?;
        if cols.len() == 1 {
            return Ok(cols);
        }
        return Err(invalid(
            "by",
            format!(
                "is required when data has {} columns: name the stratification variables in order, e.g. \
                 {{ by: ['region', 'age'] }} (columns: {})",
                cols.len(),
                cols.join(", ")
            ),
        ));
    };
    if let Some(s) = by.string() {
        return Ok(vec![s]);
    }
    if by.is_array() {
        let n = by.array_len();
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            match by.element(i)?.string() {
                Some(s) if !out.contains(&s) => out.push(s),
                Some(s) => return Err(invalid("by", format!("names `{s}` twice"))),
                None => {
                    return Err(invalid(
                        &format!("by[{i}]"),
                        "must be a variable name (string)",
                    ))
                }
            }
        }
        if !out.is_empty() {
            return Ok(out);
        }
    }
    Err(invalid(
        "by",
        "must be a variable name or a non-empty array of variable names",
    ))
}

// ------------------------------------------------------------------------------------------------------
// fits

#[derive(Clone, Copy)]
enum Fit {
    Rake,
    Calibrate,
}

/// Everything a margin fit needs, read from JS.
struct MarginInput<'a> {
    names: Names,
    codes: Vec<CodeColumn<'a>>,
    targets: Vec<Vec<f64>>,
    base: Option<Column<'a>>,
    opts: Map<String, Value>,
}

fn margin_input<'a>(data: Js, targets: Js, options: Option<Js>) -> Res<MarginInput<'a>> {
    let data = data_object(data)?;
    let (names, targets) = margin_targets(targets)?;
    let codes = names
        .vars
        .iter()
        .zip(&names.labels)
        .map(|(name, labels)| data_column(data, name, labels.as_deref()))
        .collect::<Res<Vec<_>>>()?;
    let (opts, special) = options_split(options, &["base"])?;
    let base = opt_column(special[0], "base")?;
    Ok(MarginInput {
        names,
        codes,
        targets,
        base,
        opts,
    })
}

fn fit_core(
    fit: Fit,
    names: &Names,
    codes: &[&[u32]],
    targets: &[Vec<f64>],
    base: Option<&[f64]>,
    o: &Map<String, Value>,
) -> Res<Tree> {
    let opts = WeightingOptions::from_options(o)?;
    let t: Vec<&[f64]> = targets.iter().map(|t| t.as_slice()).collect();
    let r = match fit {
        Fit::Rake => core::rake(codes, &t, base, &opts),
        Fit::Calibrate => core::calibrate(codes, &t, base, &opts),
    }
    .map_err(|e| names.restate(e.into()))?;
    Ok(names.decorate(Tree::of(&r)?))
}

fn fit_sync(
    env: &Env,
    fit: Fit,
    data: &Unknown,
    targets: &Unknown,
    options: &Option<Unknown>,
) -> napi::Result<Tree> {
    run(env, || {
        let i = margin_input(arg(env, data), arg(env, targets), opt_arg(env, options))?;
        let codes: Vec<&[u32]> = i.codes.iter().map(|c| &**c).collect();
        fit_core(
            fit,
            &i.names,
            &codes,
            &i.targets,
            i.base.as_deref(),
            &i.opts,
        )
    })
}

fn fit_async(
    env: &Env,
    fit: Fit,
    data: &Unknown,
    targets: &Unknown,
    options: &Option<Unknown>,
) -> AsyncTask<Job> {
    spawn(|| {
        let i = margin_input(arg(env, data), arg(env, targets), opt_arg(env, options))?;
        let codes: Vec<Vec<u32>> = i.codes.into_iter().map(|c| c.into_owned()).collect();
        let base = i.base.map(|c| c.into_owned());
        let (names, targets, opts) = (i.names, i.targets, i.opts);
        let work: Work = Box::new(move || {
            let refs: Vec<&[u32]> = codes.iter().map(|c| c.as_slice()).collect();
            fit_core(fit, &names, &refs, &targets, base.as_deref(), &opts)
        });
        Ok(work)
    })
}

/// Rakes (iterative proportional fitting) base weights, or 1, so that the weighted total of every level
/// of every variable equals its target; solved on the table of distinct cells.
///
/// `data`: an object of columns, one per variable: a `Uint32Array` of codes (read without a copy), an
/// array of whole-number codes, or an array of string labels. `targets`: one entry per variable, either
/// `{ level: target }` (level order = key order; labels in `data` map to these levels, codes index them)
/// or an array of targets by code. Only the variables named in `targets` are used, in its key order.
/// Options: `base` weights and the fit options (`targetsAs: 'shares'` with `population`, `tolerance`,
/// `maxSweeps`, `emptyLevel`, `onNonconvergence`). A fit that does not reach `tolerance` throws
/// `CXKPI_NOT_CONVERGED` (or returns with its `status` under `onNonconvergence: 'warn'`).
///
/// @example
/// const r = rake({ region: ['N', 'S', 'S', 'N', 'S'], age: [0, 1, 1, 0, 0] },
///                { region: { N: 50, S: 50 }, age: [60, 40] })
/// // r.weights: Float64Array; r.margins[0].after = [50, 50]; r.margins[0].levels = ['N', 'S']
#[napi(
    ts_args_type = "data: WeightingData, targets: MarginTargets, options?: RakeOptions",
    ts_return_type = "WeightingResult"
)]
pub fn rake(
    env: Env,
    data: Unknown,
    targets: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    fit_sync(&env, Fit::Rake, &data, &targets, &options)
}

/// `rake` computed on the libuv thread pool (the columns are copied first). Resolves to the same result;
/// rejects with the same `CXKPI_*` errors.
#[napi(
    ts_args_type = "data: WeightingData, targets: MarginTargets, options?: RakeOptions",
    ts_return_type = "Promise<WeightingResult>"
)]
pub fn rake_async(
    env: Env,
    data: Unknown,
    targets: Unknown,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    fit_async(&env, Fit::Rake, &data, &targets, &options)
}

/// Calibrates base weights, or 1, to the margins of categorical variables (Deville & Särndal) with the
/// `distance` `'linear'` (GREG, default), `'raking'` or `'logit'`, optionally bounding the adjustment
/// g = w / base to `bounds: [lo, hi]` (required for logit). Data and targets as for `rake`. Bounds
/// that no solution can meet throw `CXKPI_INFEASIBLE`.
///
/// @example
/// const r = calibrate({ region: codes }, { region: [500, 300, 200] },
///                     { base, distance: 'logit', bounds: [0.5, 2] })
/// // r.g: adjustment per cell; r.diagnostics.kishN; r.status === 'converged'
#[napi(
    ts_args_type = "data: WeightingData, targets: MarginTargets, options?: CalibrateOptions",
    ts_return_type = "WeightingResult"
)]
pub fn calibrate(
    env: Env,
    data: Unknown,
    targets: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    fit_sync(&env, Fit::Calibrate, &data, &targets, &options)
}

/// `calibrate` computed on the libuv thread pool (the columns are copied first).
#[napi(
    ts_args_type = "data: WeightingData, targets: MarginTargets, options?: CalibrateOptions",
    ts_return_type = "Promise<WeightingResult>"
)]
pub fn calibrate_async(
    env: Env,
    data: Unknown,
    targets: Unknown,
    options: Option<Unknown>,
) -> AsyncTask<Job> {
    fit_async(&env, Fit::Calibrate, &data, &targets, &options)
}

/// Post-stratifies: every crossed cell of the `by` variables is weighted to its target.
///
/// `options.by`: the stratification variables in order (a name or an array; may be left out when `data`
/// has one column). `targets` nest one level per variable in `by` order: `{ a_level: { b_level: target } }`
/// (level order = first appearance of each key), or arrays by code (`[[t00, t01], [t10, t11]]`); a cell
/// left out has target 0 (allowed only for a cell without respondents). One variable: `{ level: target }`
/// or `[target by code]`. Other options: `base`, `targetsAs`, `population`, `emptyLevel`.
///
/// @example
/// const r = poststratify({ region: ['N', 'S', 'N'], age: ['young', 'old', 'old'] },
///   { N: { young: 30, old: 20 }, S: { young: 25, old: 25 } }, { by: ['region', 'age'], emptyLevel: 'drop' })
#[napi(
    ts_args_type = "data: WeightingData, targets: CellTargets, options?: PoststratifyOptions",
    ts_return_type = "WeightingResult"
)]
pub fn poststratify(
    env: Env,
    data: Unknown,
    targets: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let data = data_object(arg(&env, &data))?;
        let (opts, special) = options_split(opt_arg(&env, &options), &["base", "by"])?;
        let by = read_by(special[1], data)?;
        let (names, flat) = cell_targets(arg(&env, &targets), by)?;
        let codes = names
            .vars
            .iter()
            .zip(&names.labels)
            .map(|(name, labels)| data_column(data, name, labels.as_deref()))
            .collect::<Res<Vec<_>>>()?;
        let base = opt_column(special[0], "base")?;
        let wopts = WeightingOptions::from_options(&opts)?;
        let refs: Vec<&[u32]> = codes.iter().map(|c| &**c).collect();
        let r = core::poststratify(&refs, &names.crossed, &flat, base.as_deref(), &wopts)
            .map_err(|e| names.restate(e.into()))?;
        Ok(names.decorate(Tree::of(&r)?))
    })
}

// ------------------------------------------------------------------------------------------------------
// trimming and diagnostics

/// Trims weights: caps them at `upper` and raises them to `lower` (absolute, or multiples of the mean
/// weight with `relativeToMean: true`), giving the difference to the units inside the bounds in
/// proportion to their weights until none is outside; the total is preserved. Bounds that cannot hold
/// the total throw `CXKPI_INFEASIBLE`.
///
/// @example
/// trimWeights([1, 1, 1, 5], { upper: 3 }).weights // Float64Array [5/3, 5/3, 5/3, 3]
#[napi(
    ts_args_type = "weights: Float64Array | ReadonlyArray<number>, options?: TrimOptions",
    ts_return_type = "TrimResult"
)]
pub fn trim_weights(env: Env, weights: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let w = column(arg(&env, &weights), "weights")?;
        let opts = TrimOptions::from_options(&convert::options(opt_arg(&env, &options))?)?;
        let mut t = Tree::of(&core::trim_weights(&w, &opts)?)?;
        t.typed_field("weights");
        Ok(t)
    })
}

/// How spread out weights are and what they cost in precision: sum, mean, min, max, max/min ratio,
/// quantiles (1, 5, 25, 50, 75, 95, 99 %), CV, Kish effective n and design effect, and with `base` the
/// design effect of the adjustment w / base.
///
/// @example
/// weightDiagnostics([1, 1, 2, 4]).kishN // 64 / 22
#[napi(
    ts_args_type = "weights: Float64Array | ReadonlyArray<number>, base?: Float64Array | ReadonlyArray<number> | null",
    ts_return_type = "WeightDiagnostics"
)]
pub fn weight_diagnostics(env: Env, weights: Unknown, base: Option<Unknown>) -> napi::Result<Tree> {
    run(&env, || {
        let w = column(arg(&env, &weights), "weights")?;
        let b = opt_column(opt_arg(&env, &base), "base")?;
        Tree::of(&core::weight_diagnostics(&w, b.as_deref())?)
    })
}

// ------------------------------------------------------------------------------------------------------
// design-based estimates

/// The weighting variables of a result: (name, labels) of each margin, in order.
fn design_variables(weighting: &Js) -> Res<Vec<(String, Option<Vec<String>>, usize)>> {
    let margins = weighting.property("margins")?;
    if !margins.is_array() {
        return Err(invalid(
            "design.weighting",
            "must be the result of rake, calibrate or poststratify (it has no `margins`)",
        ));
    }
    let mut out = Vec::new();
    for i in 0..margins.array_len() {
        let m = margins.element(i)?;
        let name = m.property("name")?.string().ok_or_else(|| {
            invalid(
                &format!("design.weighting.margins[{i}].name"),
                "must be the variable's name",
            )
        })?;
        let levels = m.property("levels")?;
        let labels = if levels.is_array() {
            let mut l = Vec::new();
            for k in 0..levels.array_len() {
                l.push(levels.element(k)?.string().unwrap_or_default());
            }
            Some(l)
        } else {
            None
        };
        let target = m.property("target")?;
        let n_levels = match target.typed_array() {
            Some((_, len, _)) => len,
            None => target.array_len() as usize,
        };
        out.push((name, labels, n_levels));
    }
    Ok(out)
}

fn design_core(
    metric: &str,
    values: &[f64],
    codes: &[&[u32]],
    levels: &[usize],
    base: Option<&[f64]>,
    weights: &[f64],
    method: &str,
    by: Option<&[u32]>,
    o: &Map<String, Value>,
) -> Res<Tree> {
    let opts = core::DesignEstimateOptions::from_options(metric, o)?;
    let design = core::Design::new(codes, levels, base, weights, method)?;
    Ok(Tree::of(&core::design_estimate(
        values, &design, by, &opts,
    )?)?)
}

/// A weighted NPS, top-box share or mean (`metric`: `'nps'`, `'top_box'`, `'mean'`, `'ces'`) under the
/// weights of a `rake` / `calibrate` / `poststratify` result, overall and by domain, with standard errors
/// that account for how the weights were made (GREG linearisation), the fixed-weights SE beside them, and
/// both design effects (`deff` against SRS without replacement, as R's `svymean(deff=TRUE)`;
/// `deffReplace`).
///
/// `design`: `{ data, weighting, base }`: the same `data` (and `base`) that were given to the fit, and its
/// result. Options: `by` (a `Uint32Array` or array of domain codes, one per row: domains keep the whole
/// sample, as R's `svyby`), `linearisation` (`'greg'` default, `'r_survey'`: R's 10 backfitting sweeps for
/// raking, `'fixedWeights'` is spelt `'fixed_weights'`), `confidence`, and the metric's scale options
/// (`promoterMin`, `scaleMin`, `k`, `missing`, ...).
///
/// @example
/// const data = { region: ['N', 'S', 'S', 'N', 'S'] }
/// const w = rake(data, { region: { N: 500, S: 500 } })
/// const r = designEstimate('nps', [10, 9, 3, 6, 10], { data, weighting: w })
/// // r.overall.estimate, r.overall.se (GREG), r.overall.seFixedWeights, r.overall.deff
#[napi(
    ts_args_type = "metric: 'nps' | 'top_box' | 'mean' | 'ces', values: Float64Array | ReadonlyArray<number | null>, design: WeightingDesign, options?: DesignEstimateOptions",
    ts_return_type = "DesignEstimate"
)]
pub fn design_estimate(
    env: Env,
    metric: Unknown,
    values: Unknown,
    design: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let metric = convert::string(Some(arg(&env, &metric)), "metric")?;
        let v = column(arg(&env, &values), "values")?;
        let d = arg(&env, &design);
        if d.type_of() != ValueType::Object || d.is_array() {
            return Err(invalid("design", "must be { data, weighting, base? }"));
        }
        let weighting = d.property("weighting")?;
        if weighting.type_of() != ValueType::Object {
            return Err(invalid(
                "design.weighting",
                "must be the result of rake, calibrate or poststratify",
            ));
        }
        let method = convert::string(
            Some(weighting.property("method")?),
            "design.weighting.method",
        )?;
        let weights = column(weighting.property("weights")?, "design.weighting.weights")?;
        let vars = design_variables(&weighting)?;
        let data = data_object(d.property("data")?)?;
        let codes = vars
            .iter()
            .map(|(name, labels, _)| data_column(data, name, labels.as_deref()))
            .collect::<Res<Vec<_>>>()?;
        let code_refs: Vec<&[u32]> = codes.iter().map(|c| &**c).collect();
        let levels: Vec<usize> = vars.iter().map(|(_, _, l)| *l).collect();
        let base_js = d.property("base")?;
        let base = opt_column((!base_js.is_nullish()).then_some(base_js), "design.base")?;
        let (o, special) = options_split(opt_arg(&env, &options), &["by"])?;
        let by = match special[0] {
            Some(b) => Some(code_column(b, "by")?),
            None => None,
        };
        design_core(
            &metric,
            &v,
            &code_refs,
            &levels,
            base.as_deref(),
            &weights,
            &method,
            by.as_deref(),
            &o,
        )
    })
}
