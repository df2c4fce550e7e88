// The baseline functions through the Node API: input forms, camelCase options and results, ISO dates,
// coded errors. Reference numbers live in the golden family (golden-baseline.test.mjs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const PATTERN = [4, 2, 0, -1, -3, -5, 3]
const X = Float64Array.from({ length: 70 }, (_, i) => 35 + PATTERN[i % 7] + 0.01 * i + (i % 5 === 0 ? 0.3 : -0.2))

test('stl: presets, camelCase parameters, components add up', () => {
  const r = cx.stl(X, { period: 7, preset: 'r_stl', seasonalLength: 7 })
  assert.equal(r.parameters.trendLength, 15)
  for (let i = 0; i < X.length; i++) {
    assert.ok(Math.abs(r.seasonal[i] + r.trend[i] + r.remainder[i] - X[i]) < 1e-12)
  }
  const batch = cx.stlBatch([X, Array.from(X)], { period: 7 })
  assert.deepEqual(batch[0], batch[1])
  assert.throws(() => cx.stl(X.subarray(0, 10), { period: 7 }), { code: 'CXKPI_INSUFFICIENT_DATA' })
  assert.throws(() => cx.stl(X, { period: 7, bogus: 1 }), { code: 'CXKPI_INVALID_ARGUMENT' })
})

test('stlBatchAsync resolves to the same results', async () => {
  const a = await cx.stlBatchAsync([X], { period: 7 })
  assert.deepEqual(a, cx.stlBatch([X], { period: 7 }))
})

test('baseline: events with ISO dates, exclusions and impact', () => {
  const x = Float64Array.from(X)
  for (let i = 40; i < 43; i++) x[i] -= 20
  const r = cx.baseline(x, '2026-01-01', [{ name: 'EMEA outage', kind: 'outage', start: '2026-02-10', end: '2026-02-12' }], {
    method: 'ewma',
    window: 14,
  })
  assert.deepEqual(r.excluded.map((e) => e.index), [40, 41, 42])
  assert.equal(r.excluded[0].date, '2026-02-10')
  assert.ok(r.impacts[0].impactMean < -15)
  assert.equal(cx.eventCalendar([{ name: 'a', kind: 'launch', start: '2026-01-01', end: '2026-01-02' }]).events[0].policy, 'level_shift')
  assert.throws(() => cx.baseline(x, '2026-13-01'), { code: 'CXKPI_INVALID_ARGUMENT' })
})

test('detectChanges emits a level_shift signal', () => {
  const y = Float64Array.from({ length: 60 }, (_, i) => (i < 30 ? 40 : 47) + [0.4, -0.4, 0.2, -0.2][i % 4])
  const r = cx.detectChanges(y, { method: 'pelt', series: 'EMEA', persistDays: 7 })
  assert.deepEqual(r.changepoints, [30])
  assert.equal(r.signals[0].rule, 'level_shift')
})

test('periodMove words and aggregateDaily', () => {
  const m = cx.periodMove({ estimate: 42, se: 1.5, n: 600 }, { estimate: 37.8, se: 1.5, n: 600 })
  assert.ok(m.words.startsWith('significant drop of 4.2 points'))
  const a = cx.aggregateDaily(['2026-01-01', '2026-01-01', '2026-01-03'], [10, 3, 9], 'nps')
  assert.deepEqual(a.series.values, [0, null, 100])
  assert.throws(() => cx.dailySeries(['2026-01-01', '2026-01-01'], [1, 2]), { code: 'CXKPI_INVALID_ARGUMENT' })
})
