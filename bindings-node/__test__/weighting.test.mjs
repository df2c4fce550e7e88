// Weighting through the Node API beyond the golden corpus: named columns, labels vs codes, level order,
// typed arrays, names in results and errors, async variants, post-stratification targets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cx, flatten, tsvValue } from './helpers.mjs'

/** Bit-exact equality of two results. */
function sameBits(a, b, msg) {
  assert.deepEqual(
    flatten(a).map(([k, v]) => [k, tsvValue(v)]),
    flatten(b).map(([k, v]) => [k, tsvValue(v)]),
    msg,
  )
}

/** Bit-exact equality of the core's part of two results (without the names and labels Node adds). */
function sameCore(a, b, msg) {
  const core = (r) => flatten(r).filter(([k]) => !/^(margins|level_changes)\.\d+\.(name|levels|label|into_label)(\.|$)/.test(k))
  assert.deepEqual(core(a).map(([k, v]) => [k, tsvValue(v)]), core(b).map(([k, v]) => [k, tsvValue(v)]), msg)
}

function expectCode(fn, code, check = () => {}) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, 'an Error')
    assert.equal(e.code, code, e.message)
    assert.equal(e.kind, code.slice('CXKPI_'.length).toLowerCase())
    check(e)
    return true
  })
}

// A small survey: region (3 levels), age band (2 levels), an ignored column, base weights.
const REGION = ['north', 'south', 'east', 'north', 'south', 'south', 'east', 'north', 'south', 'north', 'east', 'south']
const AGE = ['young', 'old', 'old', 'young', 'young', 'old', 'young', 'old', 'old', 'young', 'old', 'young']
const LEVELS = { region: ['north', 'south', 'east'], age: ['young', 'old'] }
const code = (labels, levels) => labels.map((x) => levels.indexOf(x))
const REGION_CODES = code(REGION, LEVELS.region)
const AGE_CODES = code(AGE, LEVELS.age)
const BASE = [1, 1.2, 0.8, 1, 1.5, 1, 0.9, 1.1, 1, 1, 1.3, 0.7]
// Design weights that already add up to the population (calibration bounds are on g = w / base).
const BIG = BASE.map((b) => b * 80)
const TARGETS = { region: { north: 400, south: 350, east: 250 }, age: { young: 480, old: 520 } }
const TARGETS_BY_CODE = { region: [400, 350, 250], age: [480, 520] }

test('rake: labels, plain codes and Uint32Array codes give identical bits; weights are a Float64Array', () => {
  const labels = cx.rake({ region: REGION, age: AGE, comment: ['x'] }, TARGETS, { base: BASE })
  const codes = cx.rake({ region: REGION_CODES, age: AGE_CODES }, TARGETS_BY_CODE, { base: BASE })
  const typed = cx.rake({ region: Uint32Array.from(REGION_CODES), age: Uint32Array.from(AGE_CODES) }, { region: Float64Array.from([400, 350, 250]), age: [480, 520] }, { base: Float64Array.from(BASE) })
  sameCore(labels, codes)
  sameBits(codes, typed)
  // Codes with targets keyed by label: code k is the k-th level.
  sameBits(cx.rake({ region: REGION_CODES, age: AGE_CODES }, TARGETS, { base: BASE }), labels)
  assert.ok(labels.weights instanceof Float64Array)
  assert.equal(labels.weights.length, REGION.length)
  assert.equal(labels.method, 'rake')
  assert.equal(labels.status, 'converged')
  assert.ok(labels.maxRelError <= 1e-10)
  assert.deepEqual(labels.margins.map((m) => [m.variable, m.name, m.levels]), [
    [0, 'region', ['north', 'south', 'east']],
    [1, 'age', ['young', 'old']],
  ])
  assert.ok(!('levels' in codes.margins[0]), 'no labels without labelled targets')
  assert.equal(codes.margins[0].name, 'region')
  // The weighted totals meet the targets.
  const total = (labels_, level) => labels.weights.reduce((s, w, i) => s + (labels_[i] === level ? w : 0), 0)
  assert.ok(Math.abs(total(REGION, 'east') - 250) < 1e-6)
  assert.ok(Math.abs(total(AGE, 'old') - 520) < 1e-6)
  assert.ok(Math.abs(labels.diagnostics.sum - 1000) < 1e-6)
  assert.ok(Math.abs(labels.margins[0].before[0] - (1 + 1 + 1.1 + 1)) < 1e-12)
})

test('level order is the key order of the targets; variables are used in the targets\' key order', () => {
  const a = cx.rake({ region: REGION, age: AGE }, TARGETS)
  const reordered = cx.rake({ region: REGION, age: AGE }, { region: { east: 250, north: 400, south: 350 }, age: { old: 520, young: 480 } })
  assert.deepEqual(Array.from(reordered.weights), Array.from(a.weights))
  assert.deepEqual(reordered.margins[0].levels, ['east', 'north', 'south'])
  assert.deepEqual(reordered.margins[0].target, [250, 400, 350])
  // The same codes against targets in another level order mean other levels.
  const swapped = cx.rake({ region: REGION_CODES, age: AGE_CODES }, { region: { east: 250, north: 400, south: 350 }, age: TARGETS.age })
  assert.deepEqual(swapped.margins[0].before, [4, 5, 3])
  // Variables in targets' key order, whatever the order of the data's columns.
  const byAge = cx.rake({ region: REGION, age: AGE }, { age: TARGETS.age, region: TARGETS.region })
  assert.deepEqual(byAge.margins.map((m) => m.name), ['age', 'region'])
  for (let i = 0; i < a.weights.length; i++) assert.ok(Math.abs(byAge.weights[i] - a.weights[i]) < 1e-8 * a.weights[i])
  // Only variables named in targets are used.
  const one = cx.rake({ region: REGION, age: AGE }, { region: TARGETS.region })
  assert.equal(one.margins.length, 1)
  assert.deepEqual(Array.from(one.weights), REGION.map((r) => ({ north: 100, south: 70, east: 250 / 3 })[r]))
})

test('a large labelled column equals its codes (the label mapping pass)', () => {
  const n = 200_000
  const levels = ['a', 'b', 'c', 'd']
  const codes = new Uint32Array(n)
  for (let i = 0; i < n; i++) codes[i] = (i * 7919) % 4
  const labels = Array.from(codes, (c) => levels[c])
  const two = Uint32Array.from(codes, (c, i) => (c + i) % 3)
  const t = { v: { a: 0.1, b: 0.2, c: 0.3, d: 0.4 }, w: [0.5, 0.3, 0.2] }
  const opts = { targetsAs: 'shares', population: 1e6 }
  sameCore(cx.rake({ v: labels, w: two }, t, opts), cx.rake({ v: codes, w: two }, { v: [0.1, 0.2, 0.3, 0.4], w: t.w }, opts))
})

test('calibrate: distances and bounds; g stays inside the bounds', () => {
  const data = { region: REGION, age: AGE }
  const lin = cx.calibrate(data, TARGETS, { base: BASE })
  assert.equal(lin.method, 'calibrate')
  assert.equal(lin.distance, 'linear')
  const rak = cx.calibrate(data, TARGETS, { base: BASE, distance: 'raking' })
  const raked = cx.rake(data, TARGETS, { base: BASE })
  for (let i = 0; i < rak.weights.length; i++) assert.ok(Math.abs(rak.weights[i] - raked.weights[i]) < 1e-6 * raked.weights[i])
  const logit = cx.calibrate(data, TARGETS, { base: BIG, distance: 'logit', bounds: [0.5, 1.6] })
  assert.equal(logit.status, 'converged')
  for (const g of logit.g) assert.ok(g >= 0.5 - 1e-12 && g <= 1.6 + 1e-12, `g = ${g}`)
  sameBits(cx.calibrate({ region: Uint32Array.from(REGION_CODES), age: AGE_CODES }, TARGETS, { base: Float64Array.from(BIG), distance: 'logit', bounds: [0.5, 1.6] }), logit)
})

test('errors: inconsistent margins, empty level, infeasible, not converged, with CXKPI_ codes and names', () => {
  const data = { region: REGION, age_group: AGE }
  expectCode(() => cx.rake(data, { region: TARGETS.region, age_group: { young: 480, old: 500 } }), 'CXKPI_INCONSISTENT_MARGINS', (e) => {
    assert.match(e.message, /`targets\.region` totals 1000 but `targets\.age_group` totals 980/)
    assert.equal(e.arg, 'targets.age_group')
  })
  expectCode(() => cx.rake(data, { region: { north: 400, south: 300, west: 50, east: 250 } }), 'CXKPI_EMPTY_LEVEL', (e) => {
    assert.match(e.message, /level "west" of `region` has a target of 50/)
    assert.equal(e.arg, 'targets.region.west')
    assert.equal(e.value, 50)
  })
  expectCode(() => cx.calibrate(data, { region: TARGETS.region }, { distance: 'logit', bounds: [0.5, 2] }), 'CXKPI_INFEASIBLE', (e) => {
    assert.match(e.message, /level "north" of `region`/)
    assert.equal(e.arg, 'targets.region.north')
  })
  expectCode(() => cx.trimWeights([1, 1, 1, 5], { upper: 1 }), 'CXKPI_INFEASIBLE')
  expectCode(() => cx.rake(data, { region: TARGETS.region, age_group: TARGETS.age }, { maxSweeps: 1 }), 'CXKPI_NOT_CONVERGED', (e) => {
    assert.match(e.message, /rake did not converge/)
  })
  // With onNonconvergence: 'warn' the weights come back with their status.
  const warned = cx.rake(data, { region: TARGETS.region, age_group: TARGETS.age }, { maxSweeps: 1, onNonconvergence: 'warn' })
  assert.equal(warned.status, 'max_iter')
  assert.ok(warned.maxRelError > 1e-10)
})

test('errors name the data column and the label (no camelCase conversion of user names)', () => {
  expectCode(() => cx.rake({ home_region: [...REGION, 'west'] }, { home_region: TARGETS.region }), 'CXKPI_OUT_OF_SCALE', (e) => {
    assert.match(e.message, /`data\.home_region\[12\]` = "west" is not a level of `targets\.home_region`/)
    assert.match(e.message, /"north", "south", "east"/)
    assert.equal(e.arg, 'data.home_region')
    assert.equal(e.index, 12)
  })
  expectCode(() => cx.rake({ home_region: [3, 0, 1] }, { home_region: TARGETS.region }), 'CXKPI_OUT_OF_SCALE', (e) => {
    assert.match(e.message, /`data\.home_region\[0\]` = 3/)
    assert.equal(e.arg, 'data.home_region')
    assert.equal(e.index, 0)
  })
  expectCode(() => cx.rake({ region: ['north', null] }, { region: TARGETS.region }), 'CXKPI_MISSING_VALUE', (e) => {
    assert.equal(e.arg, 'data.region')
    assert.equal(e.index, 1)
  })
  expectCode(() => cx.rake({ region: ['north', 2] }, { region: TARGETS.region }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.rake({ region: REGION }, { region: [400, 350, 250] }), 'CXKPI_INVALID_ARGUMENT', (e) => {
    assert.match(e.message, /holds labels/)
  })
  expectCode(() => cx.rake({ region: REGION }, { age_band: TARGETS.age }), 'CXKPI_INVALID_ARGUMENT', (e) => {
    assert.equal(e.arg, 'data.age_band')
    assert.match(e.message, /columns: region/)
  })
  expectCode(() => cx.rake({ region: REGION }, { region: { north: 400, south: 'many', east: 250 } }), 'CXKPI_INVALID_ARGUMENT', (e) => {
    assert.equal(e.arg, 'targets.region.south')
  })
  expectCode(() => cx.rake({ region: REGION }, { region: { north: 400, south: 0, east: 250 } }), 'CXKPI_INVALID_ARGUMENT', (e) => {
    assert.equal(e.arg, 'targets.region.south')
    assert.match(e.message, /level "south" of `region` has 5 respondents but a target of 0/)
  })
  expectCode(() => cx.rake({ region: REGION, age: AGE.slice(1) }, TARGETS), 'CXKPI_LENGTH_MISMATCH', (e) => {
    assert.match(e.message, /`data\.age` has length 11 but `data\.region` has length 12/)
    assert.equal(e.arg, 'data.age')
  })
  expectCode(() => cx.rake({ region: REGION }, { region: TARGETS.region }, { base: BASE.slice(1) }), 'CXKPI_LENGTH_MISMATCH')
  expectCode(() => cx.rake({ region: REGION }, { region: TARGETS.region }, { base: [...BASE.slice(1), -1] }), 'CXKPI_INVALID_WEIGHT', (e) => {
    assert.equal(e.arg, 'base')
    assert.equal(e.index, 11)
  })
  expectCode(() => cx.rake({ region: ['north', 'south', 'north'] }, { region: { north: 1, south: 1 } }, { base: [1, 0, 1] }), 'CXKPI_ZERO_WEIGHT_SUM', (e) => {
    assert.match(e.message, /`base \(region = "south"\)`/)
    assert.equal(e.arg, 'base')
  })
  expectCode(() => cx.rake({ region: REGION }, {}), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'targets'))
  expectCode(() => cx.rake([REGION], TARGETS), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'data'))
  expectCode(() => cx.rake({ region: REGION }, { region: 5 }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'targets.region'))
  expectCode(() => cx.rake({ region: [] }, { region: TARGETS.region }), 'CXKPI_EMPTY_INPUT', (e) => assert.equal(e.arg, 'data.region'))
  // Options: camelCase names, the core's validation.
  expectCode(() => cx.rake({ region: REGION }, { region: TARGETS.region }, { maxSweeps: 0 }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'maxSweeps'))
  expectCode(() => cx.rake({ region: REGION }, { region: TARGETS.region }, { emptyLevel: 'ignore' }), 'CXKPI_UNKNOWN_METHOD', (e) => assert.equal(e.arg, 'emptyLevel'))
  expectCode(() => cx.rake({ region: REGION }, { region: TARGETS.region }, { by: ['region'] }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.calibrate({ region: REGION }, { region: TARGETS.region }, { distance: 'logit' }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'bounds'))
  // Bounds on absolute weights that cannot reach the targets are infeasible, naming the level.
  expectCode(() => cx.calibrate({ region: REGION }, { region: TARGETS.region }, { weightBounds: [0.5, 3] }), 'CXKPI_INFEASIBLE')
  const wide = cx.calibrate({ region: REGION }, { region: TARGETS.region }, { weightBounds: [0.01, 1000] })
  assert.ok(wide.weights.every((x) => x >= 0.01 && x <= 1000))
})

test('options: shares, population and empty levels (collapse and drop) with labels in levelChanges', () => {
  const data = { region: REGION }
  const shares = cx.rake(data, { region: { north: 0.4, south: 0.35, east: 0.25 } }, { targetsAs: 'shares', population: 1000 })
  sameCore(shares, cx.rake({ region: REGION_CODES }, { region: [400, 350, 250] }))
  const t = { region: { north: 400, west: 100, south: 250, east: 250 } }
  const collapsed = cx.rake(data, t, { emptyLevel: 'collapse' })
  assert.deepEqual(collapsed.levelChanges, [
    { variable: 0, name: 'region', level: 1, label: 'west', action: 'collapsed', into: 0, intoLabel: 'north', target: 100 },
  ])
  assert.deepEqual(collapsed.margins[0].target, [500, 0, 250, 250])
  const dropped = cx.rake(data, t, { emptyLevel: 'drop' })
  assert.equal(dropped.massLost, 100)
  assert.deepEqual(dropped.levelChanges[0], { variable: 0, name: 'region', level: 1, label: 'west', action: 'dropped', into: null, intoLabel: null, target: 100 })
  // By code: no labels in the level changes.
  const byCode = cx.rake({ region: REGION_CODES.map((c) => (c === 0 ? 0 : c + 1)) }, { region: [400, 100, 250, 250] }, { emptyLevel: 'collapse' })
  assert.deepEqual(Object.keys(byCode.levelChanges[0]), ['variable', 'name', 'level', 'action', 'into', 'target'])
})

test('async variants resolve to the same bits and reject with the same codes (never throw)', async () => {
  const data = { region: REGION, age: Uint32Array.from(AGE_CODES) }
  const t = { region: TARGETS.region, age: [480, 520] }
  sameBits(await cx.rakeAsync(data, t, { base: BASE }), cx.rake(data, t, { base: BASE }))
  const copt = { base: Float64Array.from(BIG), distance: 'logit', bounds: [0.5, 1.6] }
  sameBits(await cx.calibrateAsync(data, t, copt), cx.calibrate(data, t, copt))
  const w = (await cx.rakeAsync(data, t)).weights
  assert.ok(w instanceof Float64Array)
  let p
  assert.doesNotThrow(() => {
    p = cx.rakeAsync(data, { region: TARGETS.region, age: [480, 500] })
  })
  await assert.rejects(p, (e) => e instanceof Error && e.code === 'CXKPI_INCONSISTENT_MARGINS' && /targets\.age/.test(e.message))
  await assert.rejects(cx.rakeAsync({ region: ['nowhere'] }, { region: TARGETS.region }), { code: 'CXKPI_OUT_OF_SCALE' })
  await assert.rejects(cx.calibrateAsync(data, { region: TARGETS.region }, { distance: 'logit', bounds: [0.9, 1.1] }), { code: 'CXKPI_INFEASIBLE' })
  await assert.rejects(cx.rakeAsync(data, t, { maxSweeps: 1 }), { code: 'CXKPI_NOT_CONVERGED' })
  await assert.rejects(cx.rakeAsync(data, { region: { north: 1, south: 1, east: 1, west: 1 } }), { code: 'CXKPI_EMPTY_LEVEL' })
  await assert.rejects(cx.calibrateAsync(null, t), { code: 'CXKPI_INVALID_ARGUMENT' })
  // Typed-array inputs of an async call may be changed right after the call: they were copied.
  const codes = Uint32Array.from(REGION_CODES)
  const pending = cx.rakeAsync({ region: codes }, { region: [400, 350, 250] })
  codes.fill(0)
  sameBits(await pending, cx.rake({ region: REGION_CODES }, { region: [400, 350, 250] }))
})

test('poststratify: nested labels, nested arrays by code and codes against labels agree', () => {
  const nested = { north: { young: 200, old: 200 }, south: { young: 150, old: 200 }, east: { young: 130, old: 120 } }
  const byCode = [[200, 200], [150, 200], [130, 120]]
  const opts = { by: ['region', 'age'], base: BASE }
  const a = cx.poststratify({ region: REGION, age: AGE, other: [1] }, nested, opts)
  const b = cx.poststratify({ region: REGION_CODES, age: Uint32Array.from(AGE_CODES) }, byCode, { ...opts, base: Float64Array.from(BASE) })
  const c = cx.poststratify({ region: REGION_CODES, age: AGE_CODES }, nested, opts)
  sameCore(a, b)
  sameBits(a, c)
  assert.equal(a.method, 'poststratify')
  assert.ok(a.weights instanceof Float64Array)
  assert.deepEqual(a.margins.map((m) => [m.name, m.levels, m.target]), [
    ['region', ['north', 'south', 'east'], [400, 350, 250]],
    ['age', ['young', 'old'], [480, 520]],
  ])
  // Each cell's weights add up to its target.
  const cell = (r, g) => a.weights.reduce((s, w, i) => s + (REGION[i] === r && AGE[i] === g ? w : 0), 0)
  assert.ok(Math.abs(cell('south', 'old') - 200) < 1e-9)
  // One variable: { level: target }, by given as a string or left out.
  const one = cx.poststratify({ region: REGION }, { north: 400, south: 350, east: 250 })
  sameBits(one, cx.poststratify({ region: REGION, age: AGE }, { north: 400, south: 350, east: 250 }, { by: 'region' }))
  sameCore(one, cx.poststratify({ region: REGION_CODES }, Float64Array.from([400, 350, 250])))
  assert.deepEqual(Array.from(one.weights.slice(0, 3)), [100, 70, 250 / 3])
})

test('poststratify: level order, cells left out, empty cells and errors', () => {
  // Level order = first appearance of each key at its depth.
  const r = cx.poststratify({ region: REGION, age: AGE }, { east: { old: 120, young: 130 }, north: { young: 200, old: 200 }, south: { old: 200, young: 150 } }, { by: ['region', 'age'] })
  assert.deepEqual(r.margins.map((m) => m.levels), [['east', 'north', 'south'], ['old', 'young']])
  // An unsampled cell may be left out or carry a target; with 'collapse' it is reported by its labels.
  const data = { region: ['north', 'north', 'south'], age: ['young', 'old', 'young'] }
  const left = cx.poststratify(data, { north: { young: 10, old: 20 }, south: { young: 30 } }, { by: ['region', 'age'] })
  assert.deepEqual(Array.from(left.weights), [10, 20, 30])
  const col = cx.poststratify(data, { north: { young: 10, old: 20 }, south: { young: 30, old: 5 } }, { by: ['region', 'age'], emptyLevel: 'collapse' })
  assert.deepEqual(col.levelChanges, [{ variable: 0, name: 'region|age', level: 3, label: 'south|old', action: 'collapsed', into: 2, intoLabel: 'south|young', target: 5 }])
  assert.deepEqual(Array.from(col.weights), [10, 20, 35])
  expectCode(() => cx.poststratify(data, { north: { young: 10, old: 20 }, south: { young: 30, old: 5 } }, { by: ['region', 'age'] }), 'CXKPI_EMPTY_LEVEL', (e) => {
    assert.match(e.message, /the cell region = "south", age = "old" has a target of 5/)
    assert.equal(e.arg, 'targets.south.old')
  })
  expectCode(() => cx.poststratify(data, { north: { young: 10 }, south: { young: 30 } }, { by: ['region', 'age'] }), 'CXKPI_OUT_OF_SCALE', (e) => {
    assert.match(e.message, /"old" is not a level of `targets\.age`/)
  })
  expectCode(() => cx.poststratify(data, { north: { young: 10, old: 0 }, south: { young: 30 } }, { by: ['region', 'age'] }), 'CXKPI_INVALID_ARGUMENT', (e) => {
    assert.match(e.message, /the cell region = "north", age = "old" has respondents but a target of 0/)
    assert.equal(e.arg, 'targets.north.old')
  })
  expectCode(() => cx.poststratify(data, { north: 10, south: 30 }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'by'))
  expectCode(() => cx.poststratify(data, { north: 10, south: 30 }, { by: ['region', 'age'] }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'targets.north'))
  expectCode(() => cx.poststratify(data, { north: { young: 10, old: 20 }, south: [30, 0] }, { by: ['region', 'age'] }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.match(e.message, /mixes labels/))
  expectCode(() => cx.poststratify(data, { north: { young: 10, old: 20 } }, { by: ['region', 'region'] }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'by'))
  expectCode(() => cx.poststratify(data, { north: 10, south: 30 }, { by: 'region', tolerance: 0 }), 'CXKPI_INVALID_ARGUMENT', (e) => assert.equal(e.arg, 'tolerance'))
  // Shares of a population.
  const sh = cx.poststratify({ region: REGION }, { north: 0.4, south: 0.35, east: 0.25 }, { targetsAs: 'shares', population: 1000 })
  sameCore(sh, cx.poststratify({ region: REGION_CODES }, [400, 350, 250]))
})

test('trimWeights and weightDiagnostics: typed and plain arrays, Float64Array out, total kept', () => {
  const w = [1, 1, 1, 5, 2, 0.5, 3, 1]
  const t = cx.trimWeights(w, { upper: 3 })
  sameBits(t, cx.trimWeights(Float64Array.from(w), { upper: 3 }))
  assert.ok(t.weights instanceof Float64Array)
  assert.ok(Math.max(...t.weights) <= 3)
  assert.ok(Math.abs(t.total - 14.5) < 1e-12)
  assert.equal(t.nAtUpper, 2)
  assert.equal(t.diagnosticsBefore.max, 5)
  const rel = cx.trimWeights(w, { upper: 2, lower: 0.5, relativeToMean: true })
  assert.ok(Math.abs(rel.upper - 2 * 14.5 / 8) < 1e-12)
  expectCode(() => cx.trimWeights(w, { upper: 3, cap: 2 }), 'CXKPI_INVALID_ARGUMENT')
  expectCode(() => cx.trimWeights([1, NaN]), 'CXKPI_INVALID_WEIGHT', (e) => assert.equal(e.index, 1))
  const d = cx.weightDiagnostics([1, 1, 2, 4])
  assert.equal(d.kishN, 64 / 22)
  assert.equal(d.ratio, 4)
  assert.equal(d.adjustmentDeff, null)
  assert.equal(d.quantiles.length, 7)
  sameBits(d, cx.weightDiagnostics(Float64Array.from([1, 1, 2, 4]), null))
  const withBase = cx.weightDiagnostics([2, 2, 4, 8], Float64Array.from([2, 2, 2, 2]))
  assert.ok(withBase.adjustmentDeff > 1)
  expectCode(() => cx.weightDiagnostics([]), 'CXKPI_EMPTY_INPUT')
  expectCode(() => cx.weightDiagnostics([1, 2], [1]), 'CXKPI_LENGTH_MISMATCH')
  // A result's weights go straight back in.
  const r = cx.rake({ region: REGION }, { region: TARGETS.region }, { base: BASE })
  sameBits(cx.weightDiagnostics(r.weights, BASE), r.diagnostics)
})

test('trim-then-rerake meets the margins and the caps', () => {
  const data = { a: Array.from({ length: 40 }, (_, i) => (i < 2 ? 1 : 0)), b: Array.from({ length: 40 }, (_, i) => i % 3) }
  const targets = { a: [70, 30], b: [40, 30, 30] }
  const r = cx.rake(data, targets, { trimUpper: 7, trimRelativeToMean: true })
  assert.equal(r.status, 'converged')
  assert.equal(r.method, 'rake_trim')
  assert.ok(Math.max(...r.weights) <= 7 * 100 / 40 * (1 + 1e-9))
  expectCode(() => cx.rake(data, targets, { trimUpper: 2, trimRelativeToMean: true }), 'CXKPI_NOT_CONVERGED')
})
