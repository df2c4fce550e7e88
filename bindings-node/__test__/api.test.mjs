// Binding behaviour beyond the golden corpus: typed arrays vs plain arrays, error codes and fields,
// async variants, partials through JSON, option and key conversion.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx, flatten, tsvValue } from './helpers.mjs'

const SCORES = [10, 9, 9, 10, 8, 7, 6, 5, 9, 10, 3, 8, 9, 7, 10, 0, 9, 6, 8, 10, NaN]
const WEIGHTS = [1, 2, 1.5, 0.5, 1, 1, 2, 1, 0.7, 1.3, 1, 1, 1, 2, 1, 0.4, 1, 1, 1, 1, 1]
const CSAT = [5, 4, 3, 5, 2, 1, 4, 4, 5, 3, NaN, 5]
const KEYS = [0, 1, 0, 1, 2, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]

/** Bit-exact equality of two results. */
function sameBits(a, b, msg) {
  assert.deepEqual(
    flatten(a).map(([k, v]) => [k, tsvValue(v)]),
    flatten(b).map(([k, v]) => [k, tsvValue(v)]),
    msg,
  )
}

function expectCode(fn, code, extra = {}) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, 'an Error')
    assert.equal(e.code, code, e.message)
    assert.equal(e.kind, code.slice('CXKPI_'.length).toLowerCase())
    for (const [k, v] of Object.entries(extra)) assert.deepEqual(e[k], v, `${k} of ${e.message}`)
    return true
  })
}

test('version and error kinds', () => {
  assert.match(cx.version(), /^\d+\.\d+\.\d+/)
  const kinds = cx.errorKinds()
  assert.equal(kinds.length, 17)
  assert.ok(kinds.includes('not_converged'))
  assert.ok(kinds.includes('out_of_scale'))
})

test('Float64Array, plain arrays, null as missing and other typed arrays give identical bits', () => {
  const typed = cx.nps(Float64Array.from(SCORES), Float64Array.from(WEIGHTS))
  const plain = cx.nps(SCORES, WEIGHTS)
  const nulls = cx.nps(SCORES.map((x) => (Number.isNaN(x) ? null : x)), WEIGHTS)
  sameBits(typed, plain)
  sameBits(typed, nulls)
  assert.equal(typed.nMissing, 1)
  assert.equal(typed.weighted, true)
  const ints = SCORES.slice(0, 20)
  sameBits(cx.nps(Int32Array.from(ints)), cx.nps(ints))
  sameBits(cx.nps(Uint8Array.from(ints)), cx.nps(Float32Array.from(ints)))
  // A Float64Array view at an offset into a larger buffer is read in place.
  const buf = new Float64Array(ints.length + 4)
  buf.set(ints, 4)
  sameBits(cx.nps(buf.subarray(4)), cx.nps(ints))
  sameBits(cx.topBox(Float64Array.from(CSAT)), cx.topBox(CSAT))
  sameBits(cx.meanScore(Float64Array.from(CSAT), null, { scaleMin: 1, scaleMax: 5 }), cx.meanScore(CSAT, undefined, { scaleMin: 1, scaleMax: 5 }))
  sameBits(cx.ces(Float64Array.from([7, 6, 5, 7, 4])), cx.ces([7, 6, 5, 7, 4]))
})

test('grouped keys: Uint32Array and plain arrays give identical bits, groups ordered by key', () => {
  const g1 = cx.grouped('nps', Float64Array.from(SCORES), [Uint32Array.from(KEYS)])
  const g2 = cx.grouped('nps', SCORES, [KEYS])
  sameBits(g1, g2)
  assert.deepEqual(g1.keys, [[0, 1, 2]])
  // Each group equals the metric on that group alone.
  for (let g = 0; g < 3; g++) {
    const alone = cx.nps(SCORES.filter((_, i) => KEYS[i] === g))
    assert.equal(g1.estimate[g], alone.nps)
    assert.equal(g1.n[g], alone.n)
  }
  const two = cx.grouped('top_box', CSAT, [CSAT.map((_, i) => i % 2), CSAT.map((_, i) => i % 3)], null, { k: 1 })
  assert.equal(two.keys.length, 2)
  assert.equal(two.metric, 'top_box')
  const sentiment = cx.grouped('sentiment', ['positive', 'negative', null, 'neutral'], [[0, 0, 1, 1]])
  assert.deepEqual(sentiment.n, [2, 1])
  assert.deepEqual(sentiment.status, ['ok', 'ok'])
})

test('results are plain objects with camelCase keys', () => {
  const r = cx.nps(SCORES)
  assert.equal(Object.getPrototypeOf(r), Object.prototype)
  for (const k of ['nps', 'nMissing', 'nPromoters', 'seLinearised', 'effectiveN', 'weightSum']) assert.ok(k in r, k)
  assert.ok(!Object.keys(r).some((k) => k.includes('_')))
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r)
  const m = cx.ces([7, 6, 5, 7, 4])
  assert.deepEqual(m.scale, { min: 1, max: 7 })
  assert.equal(m.direction, 'higher_is_better')
})

test('options: camelCase keys, validation in the core', () => {
  const r = cx.nps([7, 7, 5, 4], null, { promoterMin: 7, detractorMax: 4, scaleMin: 1, scaleMax: 7 })
  assert.equal(r.nPromoters, 2)
  assert.equal(r.nDetractors, 1)
  // snake_case keys are accepted too
  sameBits(cx.nps([7, 7, 5, 4], null, { promoter_min: 7, detractor_max: 4, scale_min: 1, scale_max: 7 }), r)
  // undefined options are absent, null options are defaults
  sameBits(cx.nps(SCORES, undefined, { interval: undefined, confidence: null }), cx.nps(SCORES))
  expectCode(() => cx.nps(SCORES, null, { promoterMinn: 8 }), 'CXKPI_INVALID_ARGUMENT', { arg: 'promoterMinn' })
  expectCode(() => cx.nps(SCORES, null, { interval: 'magic' }), 'CXKPI_UNKNOWN_METHOD', { arg: 'interval' })
  expectCode(() => cx.nps(SCORES, null, { confidence: 1.5 }), 'CXKPI_INVALID_CONFIDENCE', { value: 1.5 })
  expectCode(() => cx.nps(SCORES, null, { confidence: 'high' }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.nps(SCORES, null, 42), 'CXKPI_INVALID_ARGUMENT', { arg: 'options' })
  expectCode(() => cx.topBox(CSAT, null, { k: 9 }), 'CXKPI_INVALID_ARGUMENT')
})

test('every core error is an Error with code CXKPI_<KIND>, kind, arg, index, value and details', () => {
  expectCode(() => cx.nps([]), 'CXKPI_EMPTY_INPUT', { arg: 'scores' })
  expectCode(() => cx.nps([1, NaN], null, { missing: 'error' }), 'CXKPI_MISSING_VALUE', { arg: 'scores', index: 1 })
  expectCode(() => cx.nps([1, 11]), 'CXKPI_OUT_OF_SCALE', { arg: 'scores', index: 1, value: 11 })
  expectCode(() => cx.nps([1, Infinity]), 'CXKPI_OUT_OF_SCALE', { index: 1, value: Infinity })
  expectCode(() => cx.nps([1, 7.5]), 'CXKPI_NON_INTEGER', { index: 1, value: 7.5 })
  expectCode(() => cx.nps([1, 2], [1]), 'CXKPI_LENGTH_MISMATCH')
  expectCode(() => cx.nps([1, 2], [1, -1]), 'CXKPI_INVALID_WEIGHT', { arg: 'weights', index: 1, value: -1 })
  expectCode(() => cx.nps([1, 2], [0, 0]), 'CXKPI_ZERO_WEIGHT_SUM')
  expectCode(() => cx.proportionInterval(1, 10, { confidence: 0 }), 'CXKPI_INVALID_CONFIDENCE')
  expectCode(() => cx.shareFromCounts(3, 10, { interval: 'nope' }), 'CXKPI_UNKNOWN_METHOD')
  expectCode(() => cx.churn(10, 20), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.nps([NaN, NaN]), 'CXKPI_INSUFFICIENT_DATA')
  expectCode(() => cx.mergePartials(cx.npsPartial([1]), cx.npsPartial([1], [1])), 'CXKPI_INCOMPATIBLE_PARTIALS')
  expectCode(() => cx.nps([1, 2], [1, 1], { interval: 'exact_bootstrap' }), 'CXKPI_UNSUPPORTED')
  try {
    cx.nps([3, 12])
  } catch (e) {
    assert.deepEqual(e.details, { arg: 'scores', index: 1, value: 12 })
    assert.match(e.message, /scores\[1\].*12/)
  }
  try {
    cx.nps([3])
  } catch {
    assert.fail('nps of one answer is defined')
  }
})

test('binding-side argument errors are CXKPI_INVALID_ARGUMENT and name the argument in camelCase', () => {
  expectCode(() => cx.nps('10,9'), 'CXKPI_INVALID_ARGUMENT', { arg: 'scores' })
  expectCode(() => cx.nps([1, '2']), 'CXKPI_INVALID_ARGUMENT', { arg: 'scores[1]' })
  expectCode(() => cx.nps(), 'CXKPI_INVALID_ARGUMENT', { arg: 'scores' })
  expectCode(() => cx.nps(new BigInt64Array(2)), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.npsFromCounts(1.5, 2, 3), 'CXKPI_INVALID_ARGUMENT', { arg: 'promoters' })
  expectCode(() => cx.npsFromCounts(-1, 2, 3), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.churn('1000', 20), 'CXKPI_INVALID_ARGUMENT', { arg: 'customersStart' })
  expectCode(() => cx.grouped('nps', [1, 2], [[0, -1]]), 'CXKPI_INVALID_ARGUMENT', { arg: 'keys[0][1]' })
  expectCode(() => cx.grouped('nps', [1, 2], [0, 1]), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.grouped('nps', [1, 2], [[0]]), 'CXKPI_LENGTH_MISMATCH')
  expectCode(() => cx.grouped('median', [1, 2], [[0, 1]]), 'CXKPI_UNKNOWN_METHOD')
  expectCode(() => cx.sentimentShare(['positive', 'meh']), 'CXKPI_OUT_OF_SCALE', { index: 1 })
  expectCode(() => cx.sentimentShare(['positive', 1]), 'CXKPI_INVALID_ARGUMENT', { arg: 'labels[1]' })
  expectCode(() => cx.compareNps({ nps: 1 }, cx.nps(SCORES)), 'CXKPI_INVALID_ARGUMENT', { arg: 'a' })
  expectCode(() => cx.sampleSize('share'), 'CXKPI_INVALID_ARGUMENT', { arg: 'margin' })
})

test('sentiment labels: strings (case-insensitive, null missing) equal codes', () => {
  const s = cx.sentimentShare(['positive', 'NEGATIVE', ' neutral ', null, 'Positive'])
  const c = cx.sentimentShare(Float64Array.from([1, -1, 0, NaN, 1]))
  sameBits(s, c)
  assert.equal(s.netSentiment, 0.25)
  assert.equal(s.nMissing, 1)
  sameBits(cx.sentimentFromCounts(2, 1, 1), cx.sentimentShare([1, 1, 0, -1]))
})

test('async variants resolve to the same bits as the sync calls', async () => {
  sameBits(await cx.npsAsync(SCORES, WEIGHTS), cx.nps(SCORES, WEIGHTS))
  sameBits(await cx.npsAsync(Float64Array.from(SCORES), null, { interval: 'bootstrap', seed: 7 }), cx.nps(SCORES, null, { interval: 'bootstrap', seed: 7 }))
  sameBits(await cx.topBoxAsync(CSAT, null, { k: 1 }), cx.topBox(CSAT, null, { k: 1 }))
  sameBits(await cx.meanScoreAsync(CSAT), cx.meanScore(CSAT))
  sameBits(await cx.cesAsync([7, 6, 5, 7, 4]), cx.ces([7, 6, 5, 7, 4]))
  sameBits(await cx.sentimentShareAsync(['positive', 'neutral']), cx.sentimentShare(['positive', 'neutral']))
  sameBits(await cx.groupedAsync('nps', SCORES, [Uint32Array.from(KEYS)], WEIGHTS), cx.grouped('nps', SCORES, [KEYS], WEIGHTS))
  // many concurrent calls
  const all = await Promise.all(Array.from({ length: 16 }, (_, i) => cx.npsAsync(SCORES.slice(0, 5 + i))))
  all.forEach((r, i) => sameBits(r, cx.nps(SCORES.slice(0, 5 + i))))
})

test('async variants reject (never throw synchronously) with the same error codes', async () => {
  const p = cx.npsAsync([1, 11])
  assert.ok(p instanceof Promise)
  await assert.rejects(p, (e) => e instanceof Error && e.code === 'CXKPI_OUT_OF_SCALE' && e.index === 1 && e.value === 11)
  await assert.rejects(cx.npsAsync('nope'), { code: 'CXKPI_INVALID_ARGUMENT', arg: 'scores' })
  await assert.rejects(cx.npsAsync([1, 2], null, { bogus: 1 }), { code: 'CXKPI_INVALID_ARGUMENT', arg: 'bogus' })
  await assert.rejects(cx.groupedAsync('nps', [1, 2], [[0]]), { code: 'CXKPI_LENGTH_MISMATCH' })
  await assert.rejects(cx.topBoxAsync([]), { code: 'CXKPI_EMPTY_INPUT' })
  await assert.rejects(cx.meanScoreAsync([1]), { code: 'CXKPI_INSUFFICIENT_DATA' })
})

test('async work leaves the event loop free', async () => {
  const big = new Float64Array(2_000_000).map((_, i) => i % 11)
  const keys = new Uint32Array(big.length).map((_, i) => i % 1000)
  let ticks = 0
  const timer = setInterval(() => ticks++, 0)
  const r = await cx.groupedAsync('nps', big, [keys])
  clearInterval(timer)
  assert.equal(r.keys[0].length, 1000)
  assert.ok(ticks > 0, 'timers ran while the grouped call computed')
})

test('partials: plain JSON objects; merge of shards equals the whole, bit for bit', () => {
  const a = SCORES.slice(0, 8)
  const b = SCORES.slice(8)
  const wa = WEIGHTS.slice(0, 8)
  const wb = WEIGHTS.slice(8)
  const rt = (p) => JSON.parse(JSON.stringify(p))
  const pa = cx.npsPartial(a, wa)
  assert.equal(pa.metric, 'nps')
  assert.deepEqual(rt(pa), pa)
  // the core's serde form (snake_case), the same JSON Rust and Python read and write
  assert.ok('n_missing' in pa && 'bands' in pa && 'scale_min' in pa.bands)
  const merged = cx.mergePartials(rt(pa), rt(cx.npsPartial(Float64Array.from(b), wb)))
  sameBits(cx.finishPartial(rt(merged)), cx.nps(SCORES, WEIGHTS))
  sameBits(cx.finishPartial(merged, { interval: 'wald', confidence: 0.9 }), cx.nps(SCORES, WEIGHTS, { interval: 'wald', confidence: 0.9 }))

  const tb = cx.mergePartials(rt(cx.topBoxPartial(CSAT.slice(0, 5), null, { k: 1 })), rt(cx.topBoxPartial(CSAT.slice(5), null, { k: 1 })))
  sameBits(cx.finishPartial(tb, { interval: 'jeffreys' }), cx.topBox(CSAT, null, { k: 1, interval: 'jeffreys' }))

  const mp = cx.mergePartials(rt(cx.meanPartial(CSAT.slice(0, 6))), rt(cx.meanPartial(CSAT.slice(6))))
  const whole = cx.meanScore(CSAT)
  const fin = cx.finishPartial(mp)
  assert.equal(fin.n, whole.n)
  assert.ok(Math.abs(fin.mean - whole.mean) < 1e-12)

  const sp = cx.mergePartials(rt(cx.sentimentPartial(['positive', 'neutral'])), rt(cx.sentimentPartial([-1, 1, NaN])))
  sameBits(cx.finishPartial(sp), cx.sentimentShare([1, 0, -1, 1, NaN]))

  assert.throws(() => cx.mergePartials(rt(cx.churnPartial(1000, 20, 990)), rt(cx.churnPartial(500, 15))), { code: 'CXKPI_INCOMPATIBLE_PARTIALS' })
  const cp2 = cx.mergePartials(cx.churnPartial(1000, 20), cx.churnPartial(500, 15))
  sameBits(cx.finishPartial(rt(cp2), { periodMonths: 3 }), cx.churn(1500, 35, { periodMonths: 3 }))
})

test('partials without the metric tag (JSON from Rust or Python) are recognised by their fields', () => {
  const untag = ({ metric, ...rest }) => rest
  const parts = {
    nps: cx.npsPartial([10, 9, 3]),
    top_box: cx.topBoxPartial([5, 4, 1]),
    mean: cx.meanPartial([1, 2, 4]),
    sentiment: cx.sentimentPartial([1, 0, -1]),
    churn: cx.churnPartial(100, 4),
  }
  for (const [metric, p] of Object.entries(parts)) {
    const raw = untag(JSON.parse(JSON.stringify(p)))
    assert.equal(cx.mergePartials(raw, p).metric, metric)
    sameBits(cx.finishPartial(raw), cx.finishPartial(p))
  }
})

test('partials: wrong inputs are typed errors', () => {
  expectCode(() => cx.mergePartials(cx.npsPartial([1]), cx.topBoxPartial([1])), 'CXKPI_INCOMPATIBLE_PARTIALS')
  expectCode(() => cx.mergePartials(cx.npsPartial([1]), cx.npsPartial([1], null, { promoterMin: 8 })), 'CXKPI_INCOMPATIBLE_PARTIALS')
  expectCode(() => cx.finishPartial({ metric: 'median' }), 'CXKPI_UNKNOWN_METHOD')
  expectCode(() => cx.finishPartial({ nps: 3 }), 'CXKPI_INVALID_ARGUMENT', { arg: 'partial' })
  expectCode(() => cx.finishPartial({ metric: 'nps', bands: 1 }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.finishPartial(cx.npsPartial([1, 2]), { scaleMin: 1 }), 'CXKPI_INVALID_ARGUMENT')
  // merging does not modify its inputs
  const a = cx.npsPartial([10, 9])
  const copy = structuredClone(a)
  cx.mergePartials(a, cx.npsPartial([0]))
  assert.deepEqual(a, copy)
})

test('comparisons take result objects back, also after JSON', () => {
  const a = cx.npsFromCounts(60, 20, 20)
  const b = cx.npsFromCounts(40, 30, 30)
  const c = cx.compareNps(a, b)
  assert.equal(c.difference, 30)
  assert.equal(c.metric, 'nps')
  sameBits(cx.compareNps(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b))), c)
  const s = cx.compareShares(cx.shareFromCounts(45, 120), cx.shareFromCounts(30, 110), { method: 'wald' })
  assert.equal(s.method, 'wald')
  const m = cx.compareMeans(cx.meanFromSummary(5.2, 1.3, 120), cx.meanScore([4, 5, 6, 5, 4, 6]), { method: 'student' })
  assert.equal(typeof m.df, 'number')
  expectCode(() => cx.compareMeans(a, b), 'CXKPI_INVALID_ARGUMENT', { arg: 'a' })
})

test('sample size and churn helpers', () => {
  assert.equal(cx.sampleSize('share', 0.05).nRequired, 385)
  const r = cx.sampleSize('nps', 5, { population: 2000, responseRate: 0.2 })
  assert.equal(r.metric, 'nps')
  assert.equal(typeof r.feasible, 'boolean')
  assert.equal(cx.convertRate(0.02, 1, 3), 1 - 0.98 ** 3)
  const ch = cx.churn(1000, 20)
  assert.equal(ch.churnRate, 0.02)
  assert.equal(ch.customersEnd, null)
  const avg = cx.churn(1000, 20, { customersEnd: 1100, base: 'average' })
  assert.equal(avg.lower, null)
})

test('the module works in worker threads (one instance per thread, same bits)', async () => {
  const { Worker } = await import('node:worker_threads')
  const { pkgDir } = await import('./helpers.mjs')
  const data = Array.from({ length: 2000 }, (_, i) => i % 11)
  const code = `
    const { parentPort, workerData } = require('node:worker_threads')
    const cx = require(workerData.pkgDir)
    const r = cx.nps(workerData.data)
    let code = null
    try { cx.nps([11]) } catch (e) { code = e.code }
    parentPort.postMessage({ r, code })`
  const runs = await Promise.all(
    [0, 1].map(
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: { pkgDir, data } })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  for (const { r, code: c } of runs) {
    sameBits(r, cx.nps(data))
    assert.equal(c, 'CXKPI_OUT_OF_SCALE')
  }
})
