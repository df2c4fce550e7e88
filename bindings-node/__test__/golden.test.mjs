// Runs every case of the shared golden corpus (tests/golden/*.json, format in spec GOLDEN.md, and the
// weighting corpus tests/golden/weighting/*.json) through the Node API and writes
// <CARGO_TARGET_DIR or target>/golden-out/node.tsv for the bit-identity diff.
//
// Corpus keys are snake_case Python parameter names: data columns are passed positionally, every other
// key becomes a camelCase option. Each successful case is run twice, with plain arrays (NaN -> null) and
// with typed arrays (Float64Array / Uint32Array), and both must give identical results.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { cx, repoDir, camelKeys, num, nums, flatten, tsvValue, checkField, NONFINITE } from './helpers.mjs'

const goldenDir = process.env.CXKPI_GOLDEN_DIR || path.join(repoDir, 'tests', 'golden')
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(repoDir, 'target')
const outFile = path.join(targetDir, 'golden-out', 'node.tsv')

/** Splits a corpus input into its data fields and its options (camelCase). */
function split(input, dataKeys) {
  const data = {}
  const opts = {}
  for (const [k, v] of Object.entries(input)) {
    if (dataKeys.includes(k)) data[k] = v
    else opts[k] = v
  }
  return [data, camelKeys(opts)]
}

function col(v, typed) {
  const xs = nums(v)
  return typed ? Float64Array.from(xs) : xs.map((x) => (Number.isNaN(x) ? null : x))
}

function optCol(v, typed) {
  return v === undefined || v === null ? undefined : col(v, typed)
}


/** Labels: strings ("positive"...; "NaN"/null missing) or numeric codes. */
function labels(v, typed) {
  if (v.some((x) => typeof x === 'string' && !NONFINITE.includes(x))) {
    return v.map((x) => (typeof x === 'string' && !NONFINITE.includes(x) ? x : null))
  }
  return col(v, typed)
}

function keyCols(v, typed) {
  return v.map((k) => (typed ? Uint32Array.from(k) : k.slice()))
}

function npsCall(c, typed) {
  const [d, o] = split(c, ['scores', 'weights', 'promoters', 'passives', 'detractors'])
  if ('scores' in d) return cx.nps(col(d.scores, typed), optCol(d.weights, typed), o)
  return cx.npsFromCounts(d.promoters, d.passives, d.detractors, o)
}

function shareCall(c, typed) {
  const [d, o] = split(c, ['successes', 'n', 'scores', 'weights'])
  if ('scores' in d) return cx.topBox(col(d.scores, typed), optCol(d.weights, typed), o)
  return cx.shareFromCounts(d.successes, d.n, o)
}

function meanCall(c, typed) {
  const [d, o] = split(c, ['values', 'weights', 'mean', 'sd', 'n'])
  if ('values' in d) return cx.meanScore(col(d.values, typed), optCol(d.weights, typed), o)
  return cx.meanFromSummary(num(d.mean), num(d.sd), d.n, o)
}

// Options that shape a partial (given when it is made); the rest are finish options.
const CLASSIFY = ['scale_min', 'scale_max', 'promoter_min', 'detractor_max', 'missing', 'side', 'k', 'direction']

function partials(input, typed) {
  const metric = input.metric
  const cls = {}
  const fin = {}
  for (const [k, v] of Object.entries(input)) {
    if (k === 'metric' || k === 'parts') continue
    if (CLASSIFY.includes(k)) cls[k] = v
    else fin[k] = v
  }
  // A shard may carry its own accumulation options (over the case-level ones).
  const DATA = ['scores', 'weights', 'values', 'labels', 'customers_start', 'lost', 'customers_end']
  const shardOpts = (d) => {
    const o = { ...cls }
    for (const [k, v] of Object.entries(d)) if (!DATA.includes(k)) o[k] = v
    return camelKeys(o)
  }
  const make = {
    nps: (d) => cx.npsPartial(col(d.scores, typed), optCol(d.weights, typed), shardOpts(d)),
    top_box: (d) => cx.topBoxPartial(col(d.scores, typed), optCol(d.weights, typed), shardOpts(d)),
    mean: (d) => cx.meanPartial(col(d.values, typed), optCol(d.weights, typed), shardOpts(d)),
    sentiment: (d) => cx.sentimentPartial(labels(d.labels, typed), optCol(d.weights, typed), shardOpts(d)),
    churn: (d) => cx.churnPartial(num(d.customers_start), num(d.lost), d.customers_end === undefined ? null : num(d.customers_end)),
  }[metric]
  if (!make) throw new Error(`unknown partial metric ${metric}`)
  let acc = null
  for (const part of input.parts) {
    // Every partial goes through JSON before it is merged, as it would between workers.
    const p = JSON.parse(JSON.stringify(make(part)))
    acc = acc === null ? p : cx.mergePartials(acc, p)
  }
  return cx.finishPartial(JSON.parse(JSON.stringify(acc)), camelKeys(fin))
}

const runners = {
  nps: npsCall,
  nps_from_counts: npsCall,
  top_box: (i, t) => {
    const [d, o] = split(i, ['scores', 'weights'])
    return cx.topBox(col(d.scores, t), optCol(d.weights, t), o)
  },
  share_from_counts: shareCall,
  proportion_interval: (i) => {
    const [d, o] = split(i, ['x', 'n'])
    return cx.proportionInterval(num(d.x), num(d.n), o)
  },
  mean_score: meanCall,
  mean_from_summary: meanCall,
  ces: (i, t) => {
    const [d, o] = split(i, ['scores', 'weights'])
    return cx.ces(col(d.scores, t), optCol(d.weights, t), o)
  },
  churn: (i) => {
    const [d, o] = split(i, ['customers_start', 'lost'])
    if ('customersEnd' in o) o.customersEnd = num(o.customersEnd)
    return cx.churn(num(d.customers_start), num(d.lost), o)
  },
  convert_rate: (i) => ({ value: cx.convertRate(num(i.rate), num(i.from_months), num(i.to_months)) }),
  sentiment_share: (i, t) => {
    const [d, o] = split(i, ['labels', 'weights'])
    return cx.sentimentShare(labels(d.labels, t), optCol(d.weights, t), o)
  },
  sentiment_from_counts: (i) => {
    const [d, o] = split(i, ['positive', 'neutral', 'negative'])
    return cx.sentimentFromCounts(d.positive, d.neutral, d.negative, o)
  },
  compare_nps: (i, t) => {
    const [d, o] = split(i, ['a', 'b'])
    return cx.compareNps(npsCall(d.a, t), npsCall(d.b, t), o)
  },
  compare_shares: (i, t) => {
    const [d, o] = split(i, ['a', 'b'])
    return cx.compareShares(shareCall(d.a, t), shareCall(d.b, t), o)
  },
  compare_means: (i, t) => {
    const [d, o] = split(i, ['a', 'b'])
    return cx.compareMeans(meanCall(d.a, t), meanCall(d.b, t), o)
  },
  sample_size: (i) => {
    const [d, o] = split(i, ['metric', 'margin'])
    return cx.sampleSize(d.metric, num(d.margin), o)
  },
  grouped: (i, t) => {
    const [d, o] = split(i, ['metric', 'values', 'keys', 'weights'])
    const values = d.metric === 'sentiment' ? labels(d.values, t) : col(d.values, t)
    return cx.grouped(d.metric, values, keyCols(d.keys, t), optCol(d.weights, t), o)
  },
  partials,
}

// Weighting (tests/golden/weighting; input format in spec WEIGHTING_BINDINGS.md): `codes` (a list of code
// columns) become data columns v0, v1, ... with targets keyed the same way (arrays by code), `base` goes
// into the options, every other key is an option. Post-stratification's flat `cell_targets` (first
// variable most significant) become the nested arrays of the Node API with `by: ['v0', 'v1', ...]`.

function weightingData(codes, typed) {
  const data = {}
  codes.forEach((c, i) => {
    data[`v${i}`] = typed ? Uint32Array.from(c) : c.slice()
  })
  return data
}

function withBase(d, o, typed) {
  if (d.base !== undefined && d.base !== null) o.base = col(d.base, typed)
  return o
}

function marginFit(fn) {
  return (input, typed) => {
    const [d, o] = split(input, ['codes', 'targets', 'base'])
    const targets = {}
    d.targets.forEach((t, i) => {
      targets[`v${i}`] = col(t, typed)
    })
    return fn(weightingData(d.codes, typed), targets, withBase(d, o, typed))
  }
}

/** Flat cell targets -> nested arrays by code (innermost a Float64Array when typed). */
function nest(flat, levels, typed) {
  if (levels.length === 1) return typed ? Float64Array.from(nums(flat)) : col(flat, false)
  const stride = levels.slice(1).reduce((a, b) => a * b, 1)
  return Array.from({ length: levels[0] }, (_, i) => nest(flat.slice(i * stride, (i + 1) * stride), levels.slice(1), typed))
}

function poststratifyCall(input, typed) {
  const [d, o] = split(input, ['codes', 'cell_targets', 'levels', 'base'])
  const levels = d.levels ?? (d.codes.length === 1 ? [d.cell_targets.length] : d.codes.map((c) => Math.max(0, ...c) + 1))
  if (levels.length !== d.codes.length || levels.reduce((a, b) => a * b, 1) !== d.cell_targets.length) {
    throw new Error('cell_targets do not fit the levels: not expressible through the Node API')
  }
  const data = weightingData(d.codes, typed)
  return cx.poststratify(data, nest(d.cell_targets, levels, typed), withBase(d, { ...o, by: Object.keys(data) }, typed))
}

Object.assign(runners, {
  rake: marginFit(cx.rake),
  calibrate: marginFit(cx.calibrate),
  poststratify: poststratifyCall,
  trim_weights: (i, t) => {
    const [d, o] = split(i, ['weights'])
    return cx.trimWeights(col(d.weights, t), o)
  },
  // No options (other keys are ignored, as in the Rust runner).
  weight_diagnostics: (i, t) => cx.weightDiagnostics(col(i.weights, t), optCol(i.base, t)),
  // The fit (method, codes, targets | levels + cell_targets, base, fit options), then the estimate with the
  // same data object and base.
  design_estimate: (i, t) => {
    const fitInput = { ...(i.fit ?? {}) }
    for (const k of ['codes', 'targets', 'cell_targets', 'levels', 'base']) if (k in i) fitInput[k] = i[k]
    const weighting = runners[i.method](fitInput, t)
    const design = { data: weightingData(i.codes, t), weighting, base: optCol(i.base, t) }
    const o = camelKeys(i.options ?? {})
    if (i.by) o.by = t ? Uint32Array.from(i.by) : i.by.slice()
    return cx.designEstimate(i.metric, col(i.values, t), design, o)
  },
})

/** Fields the Node API adds to weighting results (names and labels): not in the core's result, so not
 * part of the cross-language TSV. */
const NODE_ONLY = /^(margins|level_changes)\.\d+\.(name|levels|label|into_label)(\.|$)/


function runCase(fn, input, typed) {
  try {
    return { result: fn(structuredClone(input), typed) }
  } catch (error) {
    return { error }
  }
}

const jsonIn = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [])
const files = [...jsonIn(goldenDir), ...jsonIn(path.join(goldenDir, 'weighting')).map((f) => path.join('weighting', f))]
const tsv = []

after(() => {
  fs.mkdirSync(path.dirname(outFile), { recursive: true })
  fs.writeFileSync(outFile, tsv.length ? tsv.join('\n') + '\n' : '')
})

test('the golden corpus exists', () => {
  assert.ok(files.length > 0, `no golden files in ${goldenDir}`)
})

for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(goldenDir, file), 'utf8'))
  const fn = runners[doc.function]
  test(`golden ${file}`, async (t) => {
    assert.ok(fn, `no Node runner for golden function ${doc.function}`)
    for (const c of doc.cases) {
      await t.test(c.name, () => {
        const tol = c.tolerance ?? (file.startsWith('weighting') ? 1e-9 : 1e-12)
        const plain = runCase(fn, c.input, false)
        if (plain.error) {
          const e = plain.error
          const kind = typeof e.kind === 'string' ? e.kind : `non-cxkpi error: ${e.message}`
          tsv.push(`${doc.function}/${c.name}\terror\t${kind}`)
          assert.ok(c.error, `unexpected error ${e.code}: ${e.message}`)
          assert.equal(e.kind, c.error.kind, `expected error ${c.error.kind}, got ${e.code}: ${e.message}`)
          assert.equal(e.code, 'CXKPI_' + c.error.kind.toUpperCase())
          assert.ok(e instanceof Error)
          const typed = runCase(fn, c.input, true)
          assert.equal(typed.error?.code, e.code, 'typed arrays give the same error')
          return
        }
        const leaves = flatten(plain.result).filter(([k]) => !NODE_ONLY.test(k))
        for (const [k, v] of leaves) tsv.push(`${doc.function}/${c.name}\t${k}\t${tsvValue(v)}`)
        assert.ok(!c.error, `expected error ${c.error?.kind}, got a result`)
        const problems = []
        const got = new Map(leaves)
        for (const [k, e] of Object.entries(c.expect ?? {})) {
          const msg = checkField(e, got.has(k) ? got.get(k) : undefined, tol)
          if (msg) problems.push(`${k}: ${msg}`)
        }
        assert.deepEqual(problems, [])
        const typed = runCase(fn, c.input, true)
        assert.ifError(typed.error)
        const typedLeaves = flatten(typed.result).filter(([k]) => !NODE_ONLY.test(k))
        assert.deepEqual(typedLeaves.map(([k, v]) => [k, tsvValue(v)]), leaves.map(([k, v]) => [k, tsvValue(v)]), 'typed arrays give identical bits')
      })
    }
  })
}
