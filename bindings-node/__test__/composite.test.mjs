// The scorecard engine through the Node API beyond the golden corpus: documents from objects, JSON and TOML;
// values as columns or nested objects; results with toObject, toRows, composites and explain; errors with
// their codes; sensitivity, balance, redundancy, myopia. Expected numbers are hand arithmetic (comments).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const DOC = {
  id: 'cx',
  nodes: [
    { id: 'bsc' },
    { id: 'customer', parent: 'bsc', weight: 0.6, perspective: 'customer' },
    { id: 'financial', parent: 'bsc', weight: 0.4, perspective: 'financial' },
  ],
  kpis: [
    { id: 'nps', parent: 'customer', perspective: 'customer', thresholds: { red_flag: 0, threshold: 20, target: 40, stretch: 60 } },
    { id: 'aht', parent: 'customer', direction: 'lower', thresholds: { red_flag: 600, target: 300 } },
    { id: 'margin', parent: 'financial', perspective: 'financial', thresholds: { red_flag: 0, target: 0.2 } },
  ],
  units: [{ id: 'north', region: 'eu' }, { id: 'south', region: 'eu' }],
}

const close = (a, b) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} != ${b}`)

test('object, JSON and TOML documents agree', () => {
  const a = cx.Scorecard.fromObject(DOC)
  const b = cx.Scorecard.fromJson(JSON.stringify(DOC))
  assert.equal(a.toJson(), b.toJson())
  assert.equal(a.id, 'cx')
  const t = cx.Scorecard.fromToml('id = "t"\n[[kpis]]\nid = "nps"\nthresholds = { red_flag = 0, target = 50 }\n')
  assert.equal(t.toObject().kpis[0].weight, 1)
})

test('evaluate nested values, explain, rows, roll-ups', () => {
  const r = cx.Scorecard.fromObject(DOC).evaluate({ north: { nps: 30, aht: 450, margin: 0.1 }, south: { nps: 60, aht: 300, margin: 0.2 } })
  // north: nps 30 -> 5, aht 450 -> 5, customer 5, margin 0.1 -> 5, root 5; south everything at/above target.
  const c = r.composites()
  close(c.north, 5)
  close(c.south, 10)
  const o = r.toObject()
  assert.equal(o.units.south.rank, 1)
  assert.equal(o.units.north.items.aht.effectiveWeight, 0.5)
  close(o.rollups.region.eu.composite, 7.5)
  const steps = r.explain('north', 'aht')
  assert.deepEqual(steps.map((s) => s.id), ['aht', 'customer', 'bsc'])
  close(steps[0].contribution, 2.5)
  const rows = r.toRows()
  assert.equal(rows.length, 12)
  assert.ok('contribution' in rows[0] && 'unit' in rows[0])
})

test('columns with periods, missing values and asOf', () => {
  const values = { unit: ['north', 'north', 'north', 'north'], kpi: ['nps', 'nps', 'aht', 'margin'], period: ['2026-01', '2026-02', '2026-02', '2026-02'], value: [10, 30, null, 0.1] }
  const sc = cx.Scorecard.fromObject(DOC)
  const r = sc.evaluate(values).toObject()
  close(r.units.north.composite, 5)
  assert.equal(r.counts.nMissingValues, 1)
  assert.equal(r.units.north.items.aht.status, 'missing')
  assert.equal(sc.evaluate(values, { asOf: '2026-01' }).toObject().units.north.items.nps.raw, 10)
})

test('errors carry codes', () => {
  const bad = { ...DOC, kpis: [{ ...DOC.kpis[0], weight: -1 }, ...DOC.kpis.slice(1)] }
  assert.throws(() => cx.Scorecard.fromObject(bad), (e) => e.code === 'CXKPI_INVALID_WEIGHT')
  assert.throws(() => cx.Scorecard.fromObject(DOC).evaluate({ north: { nope: 1 } }), (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
  assert.throws(() => cx.compositeNormalise([1, 2], { method: 'softmax' }), (e) => e.code === 'CXKPI_UNKNOWN_METHOD')
})

test('sensitivity is exact or seeded and reproducible', () => {
  const sc = cx.Scorecard.fromObject({ id: 's', kpis: [{ id: 'a', thresholds: { red_flag: 0, target: 10 } }, { id: 'b', thresholds: { red_flag: 0, target: 10 } }] })
  const v = { u: { a: 4, b: 9 } }
  const ex = sc.sensitivity(v, { weightSpread: 0, aggregations: ['arithmetic', 'geometric'] })
  assert.equal(ex.draws, 2)
  close(ex.units.u.mean, 6.25)
  assert.deepEqual(sc.sensitivity(v, { draws: 100, seed: 3 }), sc.sensitivity(v, { draws: 100, seed: 3 }))
})

test('balance, myopia, functions', () => {
  const sc = cx.Scorecard.fromObject({ ...DOC, myopia_links: [{ kpi: 'nps', linked: 'aht' }] })
  close(sc.balance().perspectiveShares.customer, 0.3)
  const flags = sc.myopia({ unit: ['north', 'north', 'north', 'north'], kpi: ['nps', 'nps', 'aht', 'aht'], period: ['p1', 'p2', 'p1', 'p2'], value: [20, 30, 300, 400] })
  assert.equal(flags.length, 1)
  assert.equal(flags[0].linkedChange, 100)
  assert.deepEqual(cx.compositeNormalise(new Float64Array([2, 4, NaN, 6])).values, [0, 0.5, null, 1])
  close(cx.compositeAggregate([4, 9], [1, 1], { method: 'geometric' }).value, 6)
  assert.equal(cx.compositeSlopeTest([1, 2, 3, 4]).verdict, 'improving')
  close(cx.suggestWeights({ x: [1, 2, 3, 4, 5] }, [2, 4.1, 5.9, 8.2, 9.9]).weights[0], 1)
})
