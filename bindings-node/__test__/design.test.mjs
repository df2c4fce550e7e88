// Design-based estimates through the Node API: designEstimate(metric, values, { data, weighting, base }),
// labels and codes, domains, conventions and errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const region = ['North', 'North', 'South', 'East', 'North', 'South', 'East', 'North', 'South', 'North', 'East', 'South']
const plan = ['basic', 'pro', 'basic', 'basic', 'pro', 'pro', 'basic', 'basic', 'basic', 'pro', 'pro', 'basic']
const ltr = [10, 9, 3, 8, 10, 6, 7, 9, 2, 10, null, 8]
const csat = [5, 4, 2, 4, 5, 3, 4, 5, 1, 5, 4, 3]
const channel = [0, 1, 1, 0, 2, 1, 0, 2, 1, 0, 0, 2]
const targets = { region: { North: 400, South: 350, East: 250 }, plan: { basic: 700, pro: 300 } }

function expectCode(fn, code) {
  assert.throws(fn, (e) => e instanceof Error && e.code === code)
}

test('designEstimate: NPS under raking, overall and by domain', () => {
  const data = { region, plan }
  const weighting = cx.rake(data, targets)
  const e = cx.designEstimate('nps', ltr, { data, weighting }, { by: Uint32Array.from(channel) })
  assert.equal(e.metric, 'nps')
  assert.equal(e.weightingMethod, 'rake')
  assert.equal(e.linearisation, 'greg')
  assert.equal(e.nRows, 12)
  assert.equal(e.nMissing, 1)
  assert.equal(e.by.length, 3)
  // The estimate is the foundation's weighted NPS. Its fixed-weights SE is too when no answer is missing
  // (a missing answer stays in the design's n, as in R's svymean on a calibrated design).
  const w = cx.nps(ltr, weighting.weights)
  assert.ok(Math.abs(e.overall.estimate - w.nps) <= 1e-12 * Math.abs(w.nps))
  const full = ltr.map((x) => x ?? 7)
  const ef = cx.designEstimate('nps', full, { data, weighting })
  const wf = cx.nps(full, weighting.weights)
  assert.ok(Math.abs(ef.overall.seFixedWeights - wf.seLinearised) <= 1e-12 * wf.seLinearised)
  const parts = e.by.reduce((s, d) => s + d.weightSum, 0)
  assert.ok(Math.abs(parts - e.overall.weightSum) <= 1e-9 * parts)
  // Plain arrays and typed arrays give the same numbers; codes in data work like labels.
  const codes = { region: region.map((r) => ['North', 'South', 'East'].indexOf(r)), plan: plan.map((p) => (p === 'basic' ? 0 : 1)) }
  const wc = cx.rake(codes, { region: [400, 350, 250], plan: [700, 300] })
  const ec = cx.designEstimate('nps', Float64Array.from(ltr.map((x) => (x === null ? NaN : x))), { data: codes, weighting: wc }, { by: channel })
  assert.equal(ec.overall.se, e.overall.se)
})

test('designEstimate: conventions, base weights and other metrics', () => {
  const data = { region, plan }
  const base = [1, 2, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1]
  const weighting = cx.calibrate(data, targets, { base, distance: 'raking' })
  const g = cx.designEstimate('top_box', csat, { data, weighting, base })
  const f = cx.designEstimate('top_box', csat, { data, weighting, base }, { linearisation: 'fixed_weights' })
  assert.equal(f.overall.se, g.overall.seFixedWeights)
  const m = cx.designEstimate('mean', csat, { data, weighting, base }, { scaleMin: 1, scaleMax: 5, confidence: 0.9 })
  assert.ok(m.overall.lower < m.overall.estimate && m.overall.estimate < m.overall.upper)
  assert.ok(m.overall.deff > 0 && m.overall.deffReplace > 0)
})

test('designEstimate: errors carry codes', () => {
  const data = { region, plan }
  const weighting = cx.rake(data, targets)
  expectCode(() => cx.designEstimate('median', ltr, { data, weighting }), 'CXKPI_UNKNOWN_METHOD')
  expectCode(() => cx.designEstimate('nps', ltr.slice(3), { data, weighting }), 'CXKPI_LENGTH_MISMATCH')
  expectCode(() => cx.designEstimate('nps', ltr, { data, weighting }, { linearisation: 'jackknife' }), 'CXKPI_UNKNOWN_METHOD')
  expectCode(() => cx.designEstimate('nps', ltr, { data, weighting }, { interval: 'wald' }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.designEstimate('top_box', ltr, { data, weighting }), 'CXKPI_OUT_OF_SCALE')
  expectCode(() => cx.designEstimate('nps', ltr, { data: { region }, weighting }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.designEstimate('nps', ltr, { data, weighting: { weights: [1] } }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.designEstimate('nps', ltr, [data, weighting]), 'CXKPI_INVALID_ARGUMENT')
})
