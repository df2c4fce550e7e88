// The stats functions through the Node API: input forms, camelCase options and results, coded errors.
// Reference numbers live in the golden family (golden-stats.test.mjs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx } from './helpers.mjs'

const SF = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]

test('icc: both naming schemes, Shrout-Fleiss rounded values', () => {
  const r = cx.icc(SF)
  assert.deepEqual(r.forms.map((f) => f.mcgrawWong), ['ICC(1)', 'ICC(A,1)', 'ICC(C,1)', 'ICC(k)', 'ICC(A,k)', 'ICC(C,k)'])
  // Shrout & Fleiss (1979): .17 .29 .71 .44 .62 .91
  assert.deepEqual(r.forms.map((f) => Math.round(f.value * 100) / 100), [0.17, 0.29, 0.71, 0.44, 0.62, 0.91])
  const byCols = cx.icc({ a: SF.map((r) => r[0]), b: SF.map((r) => r[1]), c: SF.map((r) => r[2]), d: SF.map((r) => r[3]) })
  assert.deepEqual(byCols, r)
})

test('cronbachAlpha equals ICC(3,k)', () => {
  const a = cx.cronbachAlpha(SF)
  assert.ok(Math.abs(a.alpha - cx.icc(SF).forms[5].value) < 1e-12)
  assert.equal(a.alphaIfDeleted.length, 4)
})

test('correlation: labels, camelCase options, coded errors', () => {
  const r = cx.correlation([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], { method: 'spearman' })
  assert.equal(r.pMethod, 'exact_permutation')
  assert.equal(cx.correlation([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], { method: 'spearman', pMethod: 't' }).pMethod, 't_approximation')
  assert.throws(() => cx.correlation([1, 2, 3], [4, 4, 4]), { code: 'CXKPI_INVALID_ARGUMENT' })
  assert.throws(() => cx.correlation([1, 2], [2, 1]), { code: 'CXKPI_INSUFFICIENT_DATA' })
  assert.throws(() => cx.correlation([1, 2, 3], [3, 1, 2], { bogus: 1 }), { code: 'CXKPI_INVALID_ARGUMENT' })
})

test('ols: names from an object of columns, HC3, singular design', () => {
  const wait = [9, 7, 4, 8, 3, 1, 6, 2]
  const fcr = [0.6, 0.7, 0.8, 0.6, 0.9, 0.9, 0.7, 0.8]
  const csat = [3.9, 4.1, 4.4, 4.0, 4.6, 4.8, 4.2, 4.7]
  const fit = cx.ols(csat, { wait, fcr }, { covType: 'HC3', robustSe: true })
  assert.deepEqual(fit.coefficients.map((c) => c.name), ['intercept', 'wait', 'fcr'])
  assert.equal(fit.covType, 'HC3')
  assert.ok(fit.robustSe.hc3.length === 3)
  assert.throws(() => cx.ols(csat, [wait, wait.map((v) => 2 * v)]), { code: 'CXKPI_INVALID_ARGUMENT' })
})

test('logistic: separation is CXKPI_NOT_CONVERGED', () => {
  assert.throws(() => cx.logistic([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6]), { code: 'CXKPI_NOT_CONVERGED' })
})

test('tTest, did, kaplanMeier, shrink, pAdjust', () => {
  assert.equal(cx.tTest([7.6, 7.9, 7.3, 8.1], [7.1, 6.8, 7.4, 6.9]).kind, 'welch')
  const d = cx.did([1, 2, 3, 4, 2, 3, 6, 8], [0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 0, 0, 1, 1])
  assert.ok(Math.abs(d.estimate - 2.5) < 1e-12)
  const km = cx.kaplanMeier([3, 5, 5, 8], [1, 1, 0, 1])
  assert.equal(km.confType, 'log-log')
  assert.equal(km.rows[0].survival, 0.75)
  const s = cx.shrink([4, 5, 3, 2, 3, 1, 5, 5], [0, 0, 0, 1, 1, 1, 2, 2])
  assert.equal(s.groups.length, 3)
  assert.throws(() => cx.shrink([1, 2, 3], [0, 1.5, 1]), { code: 'CXKPI_INVALID_ARGUMENT' })
  assert.throws(() => cx.pAdjust([0.1], 'sidak'), { code: 'CXKPI_UNKNOWN_METHOD' })
})

test('beforeAfter: ISO dates and day numbers give the same result; bad dates are coded', () => {
  const dates = ['2025-03-01', '2025-03-02', '2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-08']
  const csat = [3.9, 4.0, 3.8, 4.1, 4.4, 4.5, 4.3, 4.6]
  const a = cx.beforeAfter(csat, dates, { intervention: '2025-03-05' })
  const days = dates.map((d) => Date.parse(d) / 86400000)
  const b = cx.beforeAfter(csat, Float64Array.from(days), { intervention: '2025-03-05' })
  assert.deepEqual(a, b)
  assert.equal(a.nBefore, 4)
  assert.equal(a.beforeLast, '2025-03-04')
  assert.ok(a.periodMove.significant && a.welch.pValue < 0.05)
  assert.throws(() => cx.beforeAfter(csat, [...dates.slice(0, 7), '2025-02-30'], { intervention: '2025-03-05' }),
    (e) => e.code === 'CXKPI_INVALID_ARGUMENT' && /element 7/.test(e.message))
})

test('hazardByGroup: rates, ratio against the reference band, log-rank', () => {
  const h = cx.hazardByGroup([2, 5, 7, 12, 12, 3, 4, 6, 12, 1], [1, 1, 0, 0, 0, 1, 1, 1, 0, 1], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
  assert.equal(h.groups[1].rate, 4 / 26)
  assert.equal(h.reference, 0)
  assert.ok(h.groups[1].rateRatio > 2 && h.logrankDf === 1)
})
