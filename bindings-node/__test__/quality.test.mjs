// Node API of the quality module: qualityCall with JSON input, typed errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

test('validate: keep mask, first rule, totals', () => {
  const r = cx.qualityCall('validate', JSON.stringify({
    rules: { rules: [
      { id: 'scale', kind: 'out_of_scale', columns: ['nps'], min: 0, max: 10 },
      { id: 'internal', kind: 'test_entries', email: 'email', domains: ['acme.com'] }] },
    columns: { nps: [9, 11, NaN, 3], email: ['a@x.org', 'b@acme.com', '', 'c@acme.com'] },
  }))
  assert.deepEqual(r.keep, [true, false, true, false])
  assert.equal(r.excluded[0].firstRule, 'scale')
  assert.deepEqual(r.excluded[0].failed, ['scale', 'internal'])
  assert.equal(r.totals[1].nExcluded, 1)
})

test('rules from TOML text and unknown keys are typed errors', () => {
  const rs = cx.qualityCall('rules_from_text', JSON.stringify({ text: '[[rules]]\nid = "s"\nkind = "speeder"\nduration = "d"\nmin_seconds = 30\n', format: 'toml' }))
  assert.equal(rs.rules[0].kind, 'speeder')
  assert.throws(() => cx.qualityCall('validate', JSON.stringify({ rules: { rules: [{ id: 's', kind: 'speeder', duration: 'd', min_seconds: 1, bogus: 1 }] }, columns: { d: [1] } })),
    (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
})

test('suppression, view policy, reconciliation', () => {
  const s = cx.qualityCall('suppress', JSON.stringify({ counts: [[20, 3, 15], [30, 25, 40]], min_group_size: 10 }))
  assert.deepEqual(s.cells[0], ['published', 'primary', 'complementary'])
  const policy = { roles: { manager: { levels: ['team'], fields: ['nps'] } } }
  const d = cx.qualityCall('view_policy', JSON.stringify({ policy, role: 'manager', level: 'team', fields: ['nps', 'verbatim'] }))
  assert.deepEqual(d.deniedFields, ['verbatim'])
  assert.throws(() => cx.qualityCall('view_policy', JSON.stringify({ policy, role: 'intern', level: 'team', fields: [] })),
    (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
  const r = cx.qualityCall('reconcile', JSON.stringify({ a: [{ period: 'Q1', value: 0.6, n: 400 }], b: [{ period: 'Q1', value: 0.5, n: 400 }], tolerance: 0.02 }))
  assert.equal(r.groups[0].since, 'Q1')
})
