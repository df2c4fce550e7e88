// Shared helpers of the Node test suite: loading the module, case conversion, flattening results and
// the f64 bit patterns of the golden TSV (tests/golden/README / spec GOLDEN.md).
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const require = createRequire(import.meta.url)
export const here = path.dirname(fileURLToPath(import.meta.url))
export const pkgDir = path.resolve(here, '..')
export const repoDir = path.resolve(pkgDir, '..')
export const cx = require(pkgDir)

/** `promoter_min` -> `promoterMin` (an underscore not followed by a lowercase letter is kept). */
export function snakeToCamel(s) {
  return s.replace(/(?<=.)_([a-z])/g, (_, c) => c.toUpperCase())
}

/** `promoterMin` -> `promoter_min`. */
export function camelToSnake(s) {
  return s.replace(/(?<=.)([A-Z])/g, (_, c) => '_' + c.toLowerCase()).replace(/^[A-Z]/, (c) => c.toLowerCase())
}

/** Keys of a plain object converted to camelCase (one level: option objects are flat). */
export function camelKeys(obj) {
  const out = {}
  for (const [k, v] of Object.entries(obj)) out[snakeToCamel(k)] = v
  return out
}

/** The corpus spells non-finite numbers as strings. */
export function num(x) {
  if (x === 'NaN') return NaN
  if (x === 'Infinity') return Infinity
  if (x === '-Infinity') return -Infinity
  return x
}

export function nums(a) {
  return a.map(num)
}

/** Flattens a result into [snake_case dotted field, leaf] pairs (arrays by index), sorted by field. */
export function flatten(value) {
  const out = []
  const walk = (prefix, v) => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v).map((x, i) => [String(i), x]) : Object.entries(v)
      for (const [k, x] of entries) {
        const key = Array.isArray(v) || ArrayBuffer.isView(v) ? k : camelToSnake(k)
        walk(prefix ? `${prefix}.${key}` : key, x)
      }
    } else {
      out.push([prefix, v])
    }
  }
  walk('', value)
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return out
}

const view = new DataView(new ArrayBuffer(8))

/** The f64 bit pattern as 16 lowercase hex digits (NaN canonicalised to 7ff8000000000000). */
export function bits(x) {
  if (Number.isNaN(x)) return '7ff8000000000000'
  view.setFloat64(0, x)
  return view.getBigUint64(0).toString(16).padStart(16, '0')
}

/** A TSV value: numbers as bits, strings as themselves, booleans "true"/"false", null "null". */
export function tsvValue(v) {
  if (typeof v === 'number') return bits(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (v === null || v === undefined) return 'null'
  return String(v)
}

/** The corpus spelling of non-finite numbers. */
export const NONFINITE = ['NaN', 'Infinity', '-Infinity']

/** Same check as the Rust runner: |a - e| <= tol * max(1, |e|); NaN matches NaN; others exact. */
export function checkField(expected, actual, tol) {
  if (actual === undefined) return 'field missing'
  if (expected === null) return actual === null ? null : `expected null, got ${actual}`
  const e = typeof expected === 'number' || NONFINITE.includes(expected) ? num(expected) : undefined
  if (e !== undefined && typeof actual === 'number') {
    const ok = Number.isNaN(e) ? Number.isNaN(actual) : !Number.isFinite(e) ? actual === e : Math.abs(actual - e) <= tol * Math.max(1, Math.abs(e))
    return ok ? null : `expected ${e}, got ${actual} (diff ${Math.abs(actual - e)})`
  }
  return expected === actual ? null : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
}
