// Node API of the governance module: registries (objects or TOML / JSON text), lookups, stamps,
// retirement, bridges (typed arrays in and out).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const registry = { definitions: [
  { id: 'nps', version: 1, effective_from: '2025-01-01', effective_to: '2026-01-01', status: 'deprecated', owner: 'cx', approver: 'cfo' },
  { id: 'nps', version: 2, effective_from: '2026-01-01', status: 'active', owner: 'cx', approver: 'cfo', change_reason: 'new bands' }] }
const code = (c) => (e) => e.code === c

test('in force on [from, to), history, retire, stamp', () => {
  assert.equal(cx.definitionInForce(registry, 'nps', '2025-12-31').version, 1)
  assert.equal(cx.definitionInForce(registry, 'nps', '2026-01-01').version, 2)
  assert.equal(cx.definitionInForce(registry, 'nps', '2024-01-01').reason, 'before_first')
  assert.deepEqual(cx.definitionHistory(registry, 'nps').map((d) => d.version), [1, 2])
  const retired = cx.retireDefinition(registry, 'nps', '2026-06-01', 'cfo', 'replaced')
  assert.equal(retired.definitions[1].status, 'retired')
  assert.equal(retired.definitions[1].effective_to, '2026-06-01') // a document: its own snake_case keys
  assert.equal(cx.definitionInForce(retired, 'nps', '2026-06-01').reason, 'retired')
  const s = cx.stampResult(registry, 'nps', '2026-03-31', { sourceSystems: ['survey'] })
  assert.equal(s.version, 2)
  assert.deepEqual(s.lineage.sourceSystems, ['survey'])
  assert.equal(cx.stampResult(registry, 'nps', '2026-03-31').lineage.sourceSystems.length, 0)
  assert.throws(() => cx.definitionInForce(registry, 'ces', '2026-01-01'), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(() => cx.definitionInForce(registry, 'nps', '2026-13-01'), code('CXKPI_INVALID_ARGUMENT'))
})

test('registry from TOML and JSON text, normalised document round-trips', () => {
  const toml = '[[definitions]]\nid = "csat"\nkind = "metric"\nversion = 1\neffective_from = "2025-01-01"\nstatus = "active"\nowner = "cx"\napprover = "head-of-cx"\n'
  const reg = cx.registry(toml)
  assert.equal(reg.definitions[0].effective_from, '2025-01-01')
  assert.deepEqual(cx.registry(JSON.stringify(reg)), reg)
  assert.deepEqual(cx.registry(reg), reg)
  assert.equal(cx.definitionInForce(toml, 'csat', '2025-06-30').version, 1)
  const overlap = { definitions: [{ ...registry.definitions[0], effective_to: '2026-02-01' }, registry.definitions[1]] }
  assert.throws(() => cx.registry(overlap), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(() => cx.registry(42), code('CXKPI_INVALID_ARGUMENT'))
})

test('bridges: fit, apply on typed arrays, series, errors', () => {
  const b = cx.fitBridge('linear', [1, 5], [1, 7])
  assert.equal(b.table[2].to, 4)
  // linear 1-5 -> 1-7: 1 + (x - 1) * 6 / 4 (hand computation).
  const y = cx.applyBridge(b, Float64Array.from([1, 2, NaN, 5]))
  assert.ok(y instanceof Float64Array)
  assert.deepEqual([...y].map((x) => (Number.isNaN(x) ? null : x)), [1, 2.5, null, 7])
  assert.deepEqual([...cx.applyBridge(b, [3, null])].map((x) => (Number.isNaN(x) ? null : x)), [4, null])
  const e = cx.fitBridge('equipercentile', [1, 3], [1, 5], [1, 2, 3], Float64Array.from([1, 2, 3, 4, 5]))
  assert.ok(Math.abs(cx.applyBridge(e, [2])[0] - 3) < 1e-12)
  const s = cx.bridgeSeries(b, ['Q1', 'Q2'], [4, 5.5], 'Q2')
  assert.equal(s.points[1].breakBefore, true)
  assert.equal(s.points[0].value, 5.5)
  assert.throws(() => cx.fitBridge('cubic', [1, 5], [1, 7]), code('CXKPI_UNKNOWN_METHOD'))
  assert.throws(() => cx.fitBridge('mean_sigma', [1, 5], [1, 7]), (err) => code('CXKPI_INVALID_ARGUMENT')(err) && err.arg === 'old')
  assert.throws(() => cx.fitBridge('linear', [5, 1], [1, 7]), code('CXKPI_INVALID_ARGUMENT'))
  assert.throws(() => cx.applyBridge(b, [1, 'x']), (err) => code('CXKPI_INVALID_ARGUMENT')(err) && err.arg === 'values[1]')
  assert.throws(() => cx.applyBridge(b, [9]), code('CXKPI_OUT_OF_SCALE'))
  assert.throws(() => cx.bridgeSeries(b, ['Q1', 'Q2'], [4], 'Q2'), code('CXKPI_LENGTH_MISMATCH'))
})

test('nulls inside string arrays are CXKPI_ errors', () => {
  const b = cx.fitBridge('linear', [1, 5], [1, 7])
  assert.throws(() => cx.bridgeSeries(b, ['Q1', null], [4, 5], 'Q2'), (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'periods[1]')
  assert.throws(() => cx.evaluateView({ roles: { m: { levels: ['team'], fields: ['nps'] } } }, 'm', 'team', ['nps', null]),
    (e) => code('CXKPI_INVALID_ARGUMENT')(e) && e.arg === 'fields[1]')
})
