// Drift, manipulation screens and alerts through the Node API: camelCase options and documents, signals
// passed back into buildAlerts, coded errors. Reference numbers live in golden-screens.test.mjs.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

test('psi and ks2samp: policies and methods recorded', () => {
  const r = cx.psi([1, 2, 3, 4], [1, 2, 3, 4], { binning: 'categories' })
  assert.equal(r.psi, 0)
  assert.equal(r.zeroPolicy, 'epsilon')
  assert.throws(() => cx.psi([1, 1, 2], [1, 3, 3], { binning: 'categories', zeroPolicy: 'error' }), { code: 'CXKPI_INVALID_ARGUMENT' })
  const a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64]
  const b = [0.97, 1.01, 1.38, 1.32, 2.07, 0.44, 1.99, 2.15, 0.08, 1.8]
  const k = cx.ks2samp(new Float64Array(a), b)
  // scipy.stats.ks_2samp(a, b, method='exact')
  assert.equal(k.method, 'exact')
  assert.ok(Math.abs(k.pValue - 0.012340600575894691) < 1e-12)
  assert.throws(() => cx.ks2samp([], [1]), { code: 'CXKPI_EMPTY_INPUT' })
})

test('jensenShannon and chiSquare', () => {
  assert.ok(Math.abs(cx.jensenShannon([1, 0], [0, 1]).distance - 1) < 1e-15)
  const c = cx.chiSquare([[30, 50, 20], [20, 50, 30]], { biasCorrected: true })
  assert.equal(c.df, 2)
  assert.ok(Math.abs(c.statistic - 4) < 1e-12)
  assert.equal(typeof c.cramersVCorrected, 'number')
})

test('screens: findings, signals, alerts with a camelCase ladder', () => {
  const scores = [10, 10, 9, 10, 9, 10, 10, 7, 8, 9, 6, 10, 5, 8, 7, 6, 9, 8]
  const teams = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]
  const r = cx.topBoxInflation(scores, teams, { alpha: 0.2, teamLabels: ['north', 'south', 'west'] })
  assert.deepEqual(r.findings.map((f) => f.label), ['north', 'south', 'west'])
  const sigs = cx.screenSignals(r)
  assert.ok(sigs.length >= 1)
  assert.equal(sigs[0].rule, 'top_box_inflation')
  const ladder = {
    name: 'js',
    levels: [
      { level: 0, name: 'context', owner: 'Analyst' },
      { level: 1, name: 'watch', owner: 'Team lead', ackHours: 48, action: 'watch by' },
    ],
    conditions: [{ level: 1, rules: ['top_box_inflation'] }],
  }
  const rep = cx.buildAlerts(sigs, ladder, { kpi: 'NPS', raisedAt: '2025-04-03' })
  assert.equal(rep.alerts[0].level, 1)
  assert.equal(rep.alerts[0].ackDeadline, '2025-04-05T00:00:00')
  assert.match(rep.alerts[0].explanation, /^NPS in north rose/)
  assert.throws(() => cx.alertLadder({ levels: [{ level: 4, name: 'x', owner: 'y' }] }), { code: 'CXKPI_INVALID_ARGUMENT' })
  const toml = 'name = "t"\n[[levels]]\nlevel = 0\nname = "context"\nowner = "A"\n'
  assert.equal(cx.alertLadder(toml).name, 't')
})

test('duplicates, selective filtering, coaching step', () => {
  const d = cx.duplicateVerbatims(['The agent solved everything in one call', null, 'the agent solved everything in one call!'])
  assert.deepEqual(d.clusters[0].rows, [0, 2])
  assert.equal(d.nMissing, 1)
  const rates = [{ team: 0, beforeNumerator: 400, beforeDenominator: 500, afterNumerator: 200, afterDenominator: 500 }]
  const s = cx.selectiveFiltering([6, 7, 8, 7, 9, 10, 9, 10], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1], rates)
  assert.equal(s.findings[0].effect, 2.5)
  assert.throws(() => cx.selectiveFiltering([1, 2], [0, 0], [0, 2], rates), { code: 'CXKPI_INVALID_ARGUMENT' })
  const c = cx.coachingStep([7, 7.5, 9.5, 9.8, 7.1, 7.3, 7.2, 7.4], [0, 0, 0, 0, 1, 1, 1, 1], [1, 2, 11, 12, 1, 2, 11, 12], [{ team: 0, day: 10 }])
  assert.ok(Math.abs(c.findings[0].effect - 2.3) < 1e-12)
})
