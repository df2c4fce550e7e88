// Control charts, run rules, ARLs and calibration through the Node API.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

test('individuals chart finds the jump (typed array and plain array agree)', () => {
  const x = [10, 12, 11, 13, 12, 30]
  const a = cx.individualsChart(Float64Array.from(x), { reference: [0, 5] })
  const b = cx.individualsChart(x, { reference: [0, 5] })
  assert.equal(a.center[0], 11.6)
  assert.deepEqual(a.signals.map((s) => s.index), [5])
  assert.deepEqual(a, b)
})

test('p chart (Laney) and funnel limits', () => {
  const r = cx.pChart([40, 50, 60], [100, 100, 120], { laney: true })
  assert.equal(r.chart, 'laney_p')
  assert.ok(r.estimation.sigmaZ > 0)
  const f = cx.funnelLimits([18, 70, 35], [40, 150, 60], { method: 'binomial', levels: [0.95] })
  assert.equal(f.bands.length, 1)
})

test('run rules, chart rules and the fused monitor', () => {
  const x = Float64Array.from([0, 0, 0, 0, 0, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5])
  const c = cx.individualsChart(x, { mu: 0, sigma: 1 })
  const s = cx.chartRules(c, { westernElectric_4: true })
  assert.ok(s.some((h) => h.rule === 'western_electric_4'))
  const m = cx.chartMonitor(x, { mu: 0, sigma: 1 })
  assert.equal(m.counts.westernElectric_4, 3)
  const hits = cx.runRules(x, { nelson_2: true, firing: 'first_in_episode', westernElectric_1: false })
  assert.equal(hits.filter((h) => h.rule === 'nelson_2').length, 1)
})

test('ARL and calibration', async () => {
  assert.ok(Math.abs(cx.averageRunLength({ l: 3 }).arl - 370.3983473395) < 1e-6)
  const c = cx.calibrateThreshold({ chart: 'cusum', k: 0.5, charts: 2000, checksPerPeriod: 30 })
  assert.ok(Math.abs(c.arl0 - 60000) < 1e-6)
  assert.equal(c.thresholdName, 'h')
  const m = await cx.chartMonitorAsync([0, 1, 2], { mu: 0, sigma: 1 })
  assert.equal(m.nPoints, 3)
})

test('errors are typed', () => {
  assert.throws(() => cx.individualsChart([1, NaN, 2]), (e) => e.code === 'CXKPI_MISSING_VALUE')
  assert.throws(() => cx.ewmaChart([1, 2], { bogus: 1 }), (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
  assert.throws(() => cx.pChart([1, 2], [10]), (e) => e.code === 'CXKPI_LENGTH_MISMATCH')
})
