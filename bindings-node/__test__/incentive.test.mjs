// Incentive plans through the Node API (incentive* functions taking the plan first): plan reading,
// evaluate, explain, whatIf, clawback, bulk, errors.
// Expected figures are hand arithmetic written next to each assertion.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const PLAN = {
  id: 'exec',
  version: '2025.1',
  currency: 'EUR',
  period: { fiscal_year: 2025 },
  kpis: [
    { id: 'revenue', weight: 0.6, curve: { type: 'threshold_target_maximum', threshold: 90, target: 100, maximum: 110 } },
    { id: 'nps', weight: 0.4, curve: { type: 'threshold_target_maximum', threshold: 20, target: 30, maximum: 40 } },
  ],
  gates: [{ id: 'nps_floor', kpi: 'nps', threshold: 20, effect: 'cap_total', cap: 0.5 }],
  participants: [
    { id: 'ceo', target_bonus: { amount: 100000 } },
    { id: 'agent_7', target_bonus: { percent_of_base: 10, base_salary: 40000 }, start_date: '2025-07-01' },
  ],
}

const TOML = `
id = "exec"
version = "2025.1"
currency = "EUR"
period = { fiscal_year = 2025 }
[[kpis]]
id = "revenue"
weight = 0.6
curve = { type = "threshold_target_maximum", threshold = 90, target = 100, maximum = 110 }
[[kpis]]
id = "nps"
weight = 0.4
curve = { type = "threshold_target_maximum", threshold = 20, target = 30, maximum = 40 }
[[gates]]
id = "nps_floor"
kpi = "nps"
threshold = 20
effect = "cap_total"
cap = 0.5
[[participants]]
id = "ceo"
target_bonus = { amount = 100000 }
[[participants]]
id = "agent_7"
target_bonus = { percent_of_base = 10, base_salary = 40000 }
start_date = "2025-07-01"
`

test('a plan reads the same from an object, JSON text and TOML text', () => {
  const a = cx.incentivePlan(PLAN)
  const b = cx.incentivePlan(JSON.stringify(PLAN))
  const c = cx.incentivePlan(TOML, 'toml')
  assert.deepEqual(a, b)
  assert.deepEqual(a, c)
  assert.equal(a.id, 'exec')
  assert.equal(a.version, '2025.1')
  assert.equal(a.modifier_order, 'before_caps')
  // the normalised plan is a valid plan again
  assert.deepEqual(cx.incentivePlan(a), a)
  assert.throws(() => cx.incentivePlan(PLAN, 'yaml'), (e) => e.code === 'CXKPI_UNKNOWN_METHOD')
  assert.throws(() => cx.incentivePlan(42), (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
})

test('evaluate: sentiment floor caps the CEO at 50%', () => {
  const r = cx.incentiveEvaluate(PLAN, { values: { revenue: 110, nps: 18 } })
  const ceo = r.participants[0]
  // revenue at maximum 2.0 x 0.6 = 1.2; NPS 18 < 20 pays 0 and misses the floor -> 0.5
  assert.equal(ceo.weightedSum, 1.2)
  assert.equal(ceo.factor, 0.5)
  assert.equal(ceo.amount, 50000)
  assert.deepEqual(ceo.cappedBy, ['gate:nps_floor'])
  // agent: 10% of 40000 = 4000, joined 2025-07-01 -> 184/365 of FY2025
  assert.equal(r.participants[1].participationDays, 184)
  assert.ok(Math.abs(r.participants[1].amount - 4000 * 0.5 * (184 / 365)) < 1e-9)
  assert.equal(r.period.label, 'FY2025')
  assert.equal(r.policies.modifierOrder, 'before_caps')
})

test('inputs accept camelCase keys and keep ids as given', () => {
  const p = cx.incentivePlan({
    ...PLAN,
    kpis: [{ ...PLAN.kpis[0], weight: 1 }, { ...PLAN.kpis[1], id: 'npsScore', weight: 0 }],
    gates: [],
  })
  const r = cx.incentiveEvaluate(p, { values: { revenue: 100, npsScore: 30 }, modifiers: { agent_7: 1.1 }, period: { fiscalYear: 2025, quarter: 3 } })
  assert.equal(r.period.label, 'FY2025-Q3')
  assert.equal(r.participants[1].modifier, 1.1)
  assert.equal(r.participants[0].kpis[1].kpi, 'npsScore')
})

test('explain and whatIf', () => {
  const e = cx.incentiveExplain(PLAN, 'ceo', { values: { revenue: 100, nps: 30 } })
  assert.equal(e.payout.amount, 100000)
  assert.ok(e.lines.some((l) => l.includes('kpi:revenue')))
  const w = cx.incentiveWhatIf(PLAN, { values: { nps: 15 } }, { values: { revenue: 100, nps: 30 } })
  // base 0.6 + 0.4 = 1 -> 100000; scenario 0.6 capped at 0.5 -> 50000
  assert.equal(w.effects[0].deltaAmount, -50000)
  assert.deepEqual(w.changes, ['nps: 30 -> 15'])
  assert.ok(w.effects[0].changedSteps.includes('kpi:nps'))
})

test('clawback keeps as-reported and as-restated, honours the window', () => {
  const p = { ...PLAN, participants: [PLAN.participants[0]] }
  const c = cx.incentiveClawback(
    JSON.stringify(p),
    [
      { period: { fiscalYear: 2022, quarter: 4 }, reported: { values: { revenue: 100, nps: 40 } }, restated: { values: { nps: 30 } } },
      { period: { fiscal_year: 2024, quarter: 2 }, reported: { values: { revenue: 100, nps: 40 } }, restated: { values: { nps: 30 } } },
    ],
    '2026-01-15',
  )
  // reported 0.6 + 0.4*2 = 1.4 -> 140000; restated 1.0 -> 100000; only FY2024-Q2 is in FY2023..FY2025
  assert.equal(c.lookbackStart, '2023-01-01')
  assert.deepEqual(c.lines.map((l) => l.inLookback), [false, true])
  assert.ok(Math.abs(c.totalRecoverable - 40000) < 1e-9)
  assert.deepEqual(c.lines[1].restatedValues, [{ kpi: 'nps', reported: 40, restated: 30 }])
})

test('evaluateColumns equals evaluate bit for bit', () => {
  const p = { ...PLAN, gates: [] }
  const rev = Float64Array.from([95, 100, 120])
  const nps = [25, 30, 10]
  const b = cx.incentiveEvaluateColumns(p, [rev, nps], new Float64Array([1000, 1000, 1000]))
  assert.ok(b.factor instanceof Float64Array)
  for (let i = 0; i < 3; i++) {
    const one = cx.incentiveEvaluate(p, { values: { revenue: rev[i], nps: nps[i] } }).participants[0]
    assert.equal(b.factor[i], one.factor)
  }
  // 95 -> 0.75 and 25 -> 0.75: 0.6*0.75 + 0.4*0.75 = 0.75
  assert.ok(Math.abs(b.factor[0] - 0.75) < 1e-12)
})

test('errors carry CXKPI codes', () => {
  const bad = structuredClone(PLAN)
  bad.kpis[0].weight = 0.5
  assert.throws(() => cx.incentivePlan(bad), (e) => e.code === 'CXKPI_INVALID_ARGUMENT' && /sum to 0.9/.test(e.message))
  const rel = structuredClone(PLAN)
  rel.kpis[1].scoring = 'z'
  assert.throws(() => cx.incentiveEvaluate(rel, { values: { revenue: 1, nps: 1 } }), (e) => e.code === 'CXKPI_UNSUPPORTED')
  assert.throws(() => cx.incentivePlan('id = [', 'toml'), (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
  assert.throws(() => cx.incentiveEvaluate(PLAN, { values: { revenue: 100 } }), (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
  assert.throws(() => cx.incentiveEvaluateColumns(PLAN, [[NaN], [1]], [1]), (e) => e.code === 'CXKPI_MISSING_VALUE')
})
