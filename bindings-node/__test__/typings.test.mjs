// The committed index.d.ts: (1) a strict TypeScript caller type-checks against it; (2) every result
// interface lists exactly the fields that the real results have.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { cx, here, pkgDir } from './helpers.mjs'

const dts = fs.readFileSync(path.join(pkgDir, 'index.d.ts'), 'utf8')

/** Field names of `export interface Name { ... }` in index.d.ts. */
function fields(name) {
  const m = dts.match(new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`))
  assert.ok(m, `interface ${name} in index.d.ts`)
  return [...m[1].matchAll(/^ {2}(\w+)\??:/gm)].map((x) => x[1]).sort()
}

const keys = (o) => Object.keys(o).sort()

test('result interfaces in index.d.ts match the real results field for field', () => {
  const n = cx.nps([10, 9, 3])
  const s = cx.topBox([5, 4, 1])
  const m = cx.meanScore([1, 2, 3])
  const cases = {
    NpsResult: n,
    ShareResult: s,
    Interval: cx.proportionInterval(3, 10),
    MeanResult: m,
    ScaleRange: cx.ces([1, 7]).scale,
    ChurnResult: cx.churn(100, 5),
    SentimentResult: cx.sentimentShare([1, 0, -1]),
    ComparisonResult: cx.compareNps(n, n),
    SampleSizeResult: cx.sampleSize('share', 0.05),
    GroupedResult: cx.grouped('nps', [10, 9], [[0, 1]]),
  }
  // Weighting, with labels and a collapsed level so that the optional fields are present.
  const w = cx.rake({ r: ['a', 'c', 'a'] }, { r: { a: 1, b: 1, c: 1 } }, { emptyLevel: 'collapse' })
  const t = cx.trimWeights([1, 2, 6], { upper: 3 })
  Object.assign(cases, {
    WeightingResult: w,
    MarginReport: w.margins[0],
    LevelChange: w.levelChanges[0],
    WeightDiagnostics: w.diagnostics,
    TrimResult: t,
  })
  const de = cx.designEstimate('nps', [10, 9, 3], { data: { r: ['a', 'c', 'a'] }, weighting: w }, { by: [0, 1, 0] })
  Object.assign(cases, { DesignEstimate: de, DomainEstimate: de.overall })
  assert.ok(w.weights instanceof Float64Array && t.weights instanceof Float64Array)
  for (const [name, value] of Object.entries(cases)) assert.deepEqual(fields(name), keys(value), name)
  let err
  try {
    cx.nps([11])
  } catch (e) {
    err = e
  }
  assert.deepEqual(fields('CxkpiError'), ['arg', 'code', 'details', 'index', 'kind', 'message', 'value'])
  for (const f of fields('CxkpiError')) assert.ok(f in err, f)
})

test('every exported function and class is declared with JSDoc in index.d.ts', () => {
  for (const name of Object.keys(cx)) {
    if (name.startsWith('__')) continue
    const m = dts.match(new RegExp(`(\\*/)\\s*\\nexport declare (function ${name}[<(]|class ${name}[ <{])`))
    assert.ok(m, `JSDoc before the declaration of ${name}`)
  }
})

test('a strict TypeScript caller type-checks against index.d.ts', { timeout: 120_000 }, () => {
  const tsc = path.join(pkgDir, 'node_modules', 'typescript', 'bin', 'tsc')
  if (!fs.existsSync(tsc)) {
    assert.fail('typescript is missing: run npm install in bindings-node')
  }
  const args = [tsc, '--noEmit', '--strict', '--target', 'es2022', '--lib', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'false', path.join(here, 'types', 'usage.ts')]
  try {
    execFileSync(process.execPath, args, { cwd: pkgDir, encoding: 'utf8', stdio: 'pipe' })
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`)
  }
})
