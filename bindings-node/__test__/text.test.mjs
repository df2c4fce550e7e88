// The text functions through the Node API: documents, string arrays, tags passed back, camelCase options
// and results, coded errors. Reference numbers live in the golden family (golden-text.test.mjs).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { cx, repoDir } from './helpers.mjs'

const TAX = {
  version: '1',
  themes: [
    { id: 'billing', keywords: ['invoice', 'bill*'] },
    { id: 'billing.double', parent: 'billing', phrases: ['charged twice', 'facturé deux fois'] },
    { id: 'staff', keywords: ['staff', 'rude'] },
  ],
}

test('tagThemes: folding, negation, parents, coverage', () => {
  const t = cx.tagThemes(TAX, ['CHARGED TWICE', 'facture deux fois', 'not charged twice but staff rude', 'ok'])
  assert.deepEqual(Array.from(t.offsets), [0, 2, 4, 5, 5])
  assert.deepEqual(Array.from(t.themeIndex), [0, 1, 0, 1, 2])
  assert.equal(t.shareUntagged, 0.25)
  assert.equal(t.coverage, 0.75)
  assert.equal(t.negationPolicy, 'suppress')
  // A null or a number among the verbatims is a coded error naming its index, not a napi type error.
  assert.throws(() => cx.tagThemes(TAX, ['ok', null]), { code: 'CXKPI_INVALID_ARGUMENT', message: /verbatims\[1\]/ })
  assert.throws(() => cx.tagThemes(TAX, ['ok', 3]), { code: 'CXKPI_INVALID_ARGUMENT' })
  assert.throws(() => cx.tagThemes(TAX, ['ok'], [null]), { code: 'CXKPI_INVALID_ARGUMENT', message: /languages\[0\]/ })
})

test('parseTaxonomy reads the sample TOML and validation errors are coded', () => {
  const text = fs.readFileSync(path.join(repoDir, 'core/examples/data/themes.toml'), 'utf8')
  const tax = cx.parseTaxonomy(text, 'toml')
  assert.equal(tax.version, '2025.1')
  assert.ok(tax.themes.length >= 20)
  const t = cx.tagThemes(tax, ['The agent was not helpful at all.', 'Die App stürzt ständig ab.'])
  assert.equal(t.counts[tax.themes.findIndex((x) => x.id === 'app_crashes')], 1)
  assert.equal(t.counts[tax.themes.findIndex((x) => x.id === 'helpful_staff')], 0)
  assert.throws(() => cx.tagThemes({ version: '1', themes: [{ id: 'a', parent: 'a' }] }, ['x']), { code: 'CXKPI_INVALID_ARGUMENT' })
  assert.throws(() => cx.parseTaxonomy('{}', 'yaml'), { code: 'CXKPI_UNKNOWN_METHOD' })
})

test('tags pass back into themeImpact, themeTrend and validateTaxonomy', () => {
  const t = cx.tagThemes(TAX, ['bill wrong', 'rude staff', 'invoice ok', 'fine'])
  const imp = cx.themeImpact(t, [-1, -0.5, 0.5, 0], { value: [10, 500, 10, 5] })
  assert.equal(imp.rows[0].id, 'staff')
  assert.equal(imp.valueBasis, 'value')
  const tr = cx.themeTrend(t, [1, 1, 2, 2])
  assert.deepEqual(tr.periods, [1, 2])
  const v = cx.validateTaxonomy(TAX, t, [['billing'], ['staff'], [], []])
  assert.equal(v.themes[0].fp, 1)
})

test('sentiment standardisation and agreement', () => {
  const s = cx.standardiseSentiment([1, 3, 5, NaN], { method: 'linear', sourceMin: 1, sourceMax: 5 })
  assert.deepEqual(s.values, [-1, 0, 1, null])
  assert.throws(() => cx.standardiseSentiment([7], { method: 'linear', sourceMin: 1, sourceMax: 5 }), { code: 'CXKPI_OUT_OF_SCALE' })
  const fit = cx.isotonicFit([1, 2, 3, 4], [-0.5, 0.2, 0, 0.8])
  assert.deepEqual(cx.isotonicPredict(fit, [2.5, 9]), [0.1, 0.8])
  const k = cx.cohenKappa(Uint32Array.from([0, 1, 2, 2]), [0, 1, 2, 1], { weights: 'quadratic', nCategories: 3 })
  assert.equal(k.nCategories, 3)
  assert.equal(k.weights, 'quadratic')
  const ba = cx.blandAltman([0.2, 0.5, -0.1, 0.8], [0.1, 0.3, -0.3, 0.4])
  assert.ok(Math.abs(ba.bias - 0.225) < 1e-12)
  assert.equal(cx.foldText('Ça ne marche PAS'), 'ca ne marche pas')
})
