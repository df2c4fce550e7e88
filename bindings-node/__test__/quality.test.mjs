// Node API of the quality module: columnar validation (typed arrays in and out), rule sets, suppression,
// view policies, reconciliation, typed errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const RULES = { rules: [
  { id: 'scale', kind: 'out_of_scale', columns: ['nps'], min: 0, max: 10 },
  { id: 'internal', kind: 'test_entries', email: 'email', domains: ['acme.com'] }] }
const SPEED = { rules: [{ id: 'fast', kind: 'speeder', duration: 'secs', min_seconds: 30 }] }

const code = (c) => (e) => e.code === c && typeof e.message === 'string'

test('validate: keep mask, failed bits, first rule, totals, readable account', () => {
  const v = cx.validateResponses(RULES, {
    nps: Float64Array.from([9, 11, NaN, 3, 12]),
    email: ['a@x.org', 'b@acme.com', '', 'c@acme.com', null],
  })
  assert.ok(v instanceof cx.Validation)
  assert.ok(v.keep instanceof Uint8Array && v.failed instanceof BigUint64Array && v.firstRule instanceof Int8Array)
  assert.deepEqual([...v.keep], [1, 0, 1, 0, 0])
  // row 1 fails scale (bit 0) and internal (bit 1) = 3n; row 3 only internal = 2n; row 4 only scale = 1n.
  assert.deepEqual([...v.failed], [0n, 3n, 0n, 2n, 1n])
  assert.deepEqual([...v.firstRule], [-1, 0, -1, 1, 0])
  assert.equal(v.keep, v.keep) // the same typed array on every access
  assert.deepEqual(v.rules, ['scale', 'internal'])
  assert.equal(v.nRows, 5)
  assert.equal(v.nKept, 2)
  assert.equal(v.nExcluded, 3)
  assert.equal(v.attribution, 'first_in_declared_order')
  assert.deepEqual(v.totals.map((t) => [t.rule, t.nFailed, t.nExcluded]), [['scale', 2, 2], ['internal', 2, 1]])
  assert.deepEqual(v.excluded(), [
    { row: 1, firstRule: 'scale', failed: ['scale', 'internal'] },
    { row: 3, firstRule: 'internal', failed: ['internal'] },
    { row: 4, firstRule: 'scale', failed: ['scale'] }])
  const o = v.toObject()
  assert.deepEqual(o.keep, [true, false, true, false, false])
  assert.equal(o.ruleSet, null)
  assert.deepEqual(Object.keys(o).sort(), ['attribution', 'excluded', 'keep', 'nExcluded', 'nKept', 'nRows', 'ruleSet', 'ruleSetVersion', 'rules', 'totals'])
})

test('validate: plain arrays with null, other typed arrays and text with missing values', () => {
  const f64 = cx.validateResponses(SPEED, { secs: Float64Array.from([10, 40, 25, 100]) })
  for (const secs of [[10, 40, 25, 100], Int32Array.from([10, 40, 25, 100]), Uint16Array.from([10, 40, 25, 100])]) {
    assert.deepEqual([...cx.validateResponses(SPEED, { secs }).keep], [...f64.keep])
  }
  assert.deepEqual([...f64.keep], [0, 1, 0, 1])
  // null / undefined / NaN are missing: a missing duration is not a speeder.
  assert.deepEqual([...cx.validateResponses(SPEED, { secs: [null, undefined, NaN, 5] }).keep], [1, 1, 1, 0])
  const dup = { rules: [{ id: 'd', kind: 'duplicate', customer: 'cust', timestamp: 'ts', window_days: 7 }] }
  const v = cx.validateResponses(dup, { cust: ['a', 'a', null, undefined, ''], ts: [0, 86400, 0, 86400, 0] })
  // the second "a" within 7 days is a duplicate; missing customers are never duplicates of each other.
  assert.deepEqual([...v.keep], [1, 0, 1, 1, 1])
})

test('validate: datetimes as seconds since the epoch', () => {
  const rules = { rules: [{ id: 'p', kind: 'field_period', timestamp: 'ts', start: '2026-01-01', end: '2026-02-01' }] }
  const ts = ['2025-12-31T23:59:59Z', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'].map((s) => Date.parse(s) / 1000)
  assert.deepEqual([...cx.validateResponses(rules, { ts }).keep], [0, 1, 0])
})

test('validate: rules from TOML / JSON text and ruleSet', () => {
  const toml = '[[rules]]\nid = "fast"\nkind = "speeder"\nduration = "secs"\nmin_seconds = 30\n'
  const rs = cx.ruleSet(toml)
  assert.equal(rs.rules[0].kind, 'speeder')
  assert.equal(rs.rules[0].min_seconds, 30)
  const cols = { secs: [10, 100] }
  assert.deepEqual([...cx.validateResponses(toml, cols).keep], [0, 1])
  assert.deepEqual([...cx.validateResponses(JSON.stringify(SPEED), cols).keep], [0, 1])
  assert.deepEqual([...cx.validateResponses(rs, cols).keep], [0, 1])
})

test('validate: errors are CXKPI_ errors naming the column and row', () => {
  const bad = (rules, cols) => () => cx.validateResponses(rules, cols)
  assert.throws(bad({ rules: [{ id: 's', kind: 'speeder', duration: 'secs', min_seconds: 1, bogus: 1 }] }, { secs: [1] }), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(bad(SPEED, { secs: [1, 'x'] }), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'columns.secs[1]')
  assert.throws(bad(SPEED, { secs: [1, {}] }), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'columns.secs[1]')
  assert.throws(bad(SPEED, { secs: ['a', 2] }), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'columns.secs[1]')
  assert.throws(bad(SPEED, { secs: 'abc' }), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(bad(SPEED, { secs: BigInt64Array.from([1n]) }), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(bad(SPEED, [1, 2]), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(bad(SPEED, { secs: [1, 2, 3], other: [1, 2] }), code('CXKPI_LENGTH_MISMATCH'))
  assert.throws(bad(SPEED, { seconds: [1, 2] }), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && /secs/.test(e.message))
  assert.throws(bad(SPEED, { secs: ['a', 'b'] }), code('CXKPI_INVALID_ARGUMENT')) // a speeder needs numbers
  assert.throws(bad(42, { secs: [1] }), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(bad('[[rules]\nid=', { secs: [1] }), code('CXKPI_INVALID_ARGUMENT'))
})

test('validate: a million rows (correctness at scale, not a timing)', () => {
  const n = 1_000_000
  const secs = new Float64Array(n).fill(200)
  const nps = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    nps[i] = i % 11
    if (i % 10 === 0) secs[i] = 5 // n / 10 speeders
    if (i % 1000 === 7) nps[i] = 11 // n / 1000 out of scale, never a speeder row (i = 7 mod 10)
  }
  const rules = { rules: [{ id: 'scale', kind: 'out_of_scale', columns: ['nps'], min: 0, max: 10 }, SPEED.rules[0]] }
  const v = cx.validateResponses(rules, { nps, secs })
  assert.equal(v.keep.length, n)
  assert.deepEqual(v.totals.map((t) => t.nExcluded), [n / 1000, n / 10])
  assert.equal(v.nExcluded, n / 1000 + n / 10)
  let kept = 0
  for (let i = 0; i < n; i++) kept += v.keep[i]
  assert.equal(kept, n - n / 1000 - n / 10)
  assert.equal(v.excluded().length, v.nExcluded)
})

test('suppression: one-way, two-way, typed arrays, errors', () => {
  const s = cx.suppress([[20, 3, 15], [30, 25, 40]], { minGroupSize: 10 })
  assert.deepEqual(s.cells[0], ['published', 'primary', 'complementary'])
  const one = cx.suppress(Float64Array.from([40, 4, 25, 12]), { minGroupSize: 10 })
  assert.deepEqual(one.cells[0], ['published', 'primary', 'published', 'complementary'])
  assert.deepEqual(cx.suppress([Float64Array.from([20, 3, 15]), [30, 25, 40]], { minGroupSize: 10 }).cells, s.cells)
  assert.throws(() => cx.suppress([4, 2.5]), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'counts[1]')
  assert.throws(() => cx.suppress([4, null]), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'counts[1]')
  assert.throws(() => cx.suppress([[4, 1], [2, -1]]), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'counts[1][1]')
  assert.throws(() => cx.suppress([4, 5], { zeroCells: 'nope' }), code('CXKPI_UNKNOWN_METHOD'))
})

test('view policy and reconciliation', () => {
  const policy = { roles: { manager: { levels: ['team'], fields: ['nps'] } } }
  assert.deepEqual(cx.viewPolicy(policy).roles.manager.levels, ['team'])
  const d = cx.evaluateView(policy, 'manager', 'team', ['nps', 'verbatim'])
  assert.deepEqual(d.allowedFields, ['nps'])
  assert.deepEqual(d.deniedFields, ['verbatim'])
  assert.equal(cx.evaluateView(JSON.stringify(policy), 'manager', 'team').levelAllowed, true)
  assert.throws(() => cx.evaluateView(policy, 'intern', 'team', []), code('CXKPI_INVALID_ARGUMENT'))
  const r = cx.reconcile([{ period: 'Q1', value: 0.6, n: 400 }], [{ period: 'Q1', value: 0.5, n: 400 }], { tolerance: 0.02 })
  assert.equal(r.groups[0].since, 'Q1')
  assert.equal(r.rows[0].diverging, true)
  assert.throws(() => cx.reconcile([{ period: 'Q1', value: 0.6, n: 400 }], [], { shareTest: 'bogus' }), code('CXKPI_UNKNOWN_METHOD'))
})

test('validateResponsesAsync resolves to the same Validation and rejects with CXKPI_ errors', async () => {
  const cols = { nps: Float64Array.from([9, 11, NaN, 3, 12]), email: ['a@x.org', 'b@acme.com', '', 'c@acme.com', null] }
  const a = await cx.validateResponsesAsync(RULES, cols)
  const s = cx.validateResponses(RULES, cols)
  assert.ok(a instanceof cx.Validation)
  assert.deepEqual([...a.keep], [...s.keep])
  assert.deepEqual([...a.failed], [...s.failed])
  assert.deepEqual(a.toObject(), s.toObject())
  await assert.rejects(cx.validateResponsesAsync(SPEED, { secs: [1, 'x'] }), code('CXKPI_INVALID_ARGUMENT'))
  await assert.rejects(cx.validateResponsesAsync(SPEED, { other: [1] }), code('CXKPI_INVALID_ARGUMENT'))
})

test('validate: long text columns (read in one piece) with missing values and a bad element', () => {
  const n = 1000
  const cust = Array.from({ length: n }, (_, i) => (i % 100 === 0 ? null : `c${i % 500}`))
  cust[3] = undefined
  cust[4] = 'a\u0000b' // a NUL inside a string: read element by element, same result
  const ts = new Float64Array(n) // all at the same instant: every repeat of a customer is a duplicate
  const dup = { rules: [{ id: 'd', kind: 'duplicate', customer: 'cust', timestamp: 'ts', window_days: 7 }] }
  const v = cx.validateResponses(dup, { cust, ts })
  // c0..c499 appear at i and i + 500; rows i % 100 === 0 and row 3 are missing, row 4 is unique:
  // the duplicates are the rows 500..999 whose twin i - 500 is present (i % 100 !== 0, i !== 503, 504).
  let expect = 0
  for (let i = 500; i < n; i++) if (i % 100 !== 0 && i !== 503 && i !== 504) expect++
  assert.equal(v.nExcluded, expect)
  const noNul = cust.map((x) => (x === 'a\u0000b' ? 'ab' : x))
  assert.equal(cx.validateResponses(dup, { cust: noNul, ts }).nExcluded, expect)
  noNul[700] = 7
  assert.throws(() => cx.validateResponses(dup, { cust: noNul, ts }), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'columns.cust[700]')
})
