// Node API of the governance module: governanceCall with JSON input.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const registry = { definitions: [
  { id: 'nps', version: 1, effective_from: '2025-01-01', effective_to: '2026-01-01', status: 'deprecated', owner: 'cx', approver: 'cfo' },
  { id: 'nps', version: 2, effective_from: '2026-01-01', status: 'active', owner: 'cx', approver: 'cfo', change_reason: 'new bands' }] }
const g = (fn, input) => cx.governanceCall(fn, JSON.stringify(input))

test('in force on [from, to), retire, stamp', () => {
  assert.equal(g('in_force', { registry, id: 'nps', date: '2025-12-31' }).version, 1)
  assert.equal(g('in_force', { registry, id: 'nps', date: '2026-01-01' }).version, 2)
  const retired = g('retire', { registry, id: 'nps', date: '2026-06-01', approver: 'cfo', reason: 'replaced' })
  assert.equal(retired.definitions[1].status, 'retired')
  const s = g('stamp', { registry, id: 'nps', date: '2026-03-31', lineage: { source_systems: ['survey'] } })
  assert.equal(s.version, 2)
  assert.deepEqual(s.lineage.sourceSystems, ['survey'])
  assert.throws(() => g('in_force', { registry, id: 'ces', date: '2026-01-01' }), (e) => e.code === 'CXKPI_INVALID_ARGUMENT')
})

test('bridges', () => {
  const b = g('bridge', { bridge: { method: 'linear', from_scale: [1, 5], to_scale: [1, 7] } })
  assert.equal(b.table[2].to, 4)
  const v = g('apply_bridge', { bridge: { method: 'equipercentile', from_scale: [1, 3], to_scale: [1, 5], old: [1, 2, 3], new: [1, 2, 3, 4, 5] }, values: [2] })
  assert.ok(Math.abs(v.values[0] - 3) < 1e-12)
})
