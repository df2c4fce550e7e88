// Plumbing for a golden family of its own: tests/golden/<family>/*.json run through a family's runners,
// the results written to <CARGO_TARGET_DIR or target>/golden-out/node-<family>.tsv (tests/golden_diff.py
// merges every node*.tsv and compares it bit for bit with Rust and Python).
//
// A family's test file (__test__/golden-<family>.test.mjs) is:
//   import { goldenFamily } from './golden-family.mjs'
//   goldenFamily('incentive', { evaluate_plan: (input) => ..., ... }, { defaultTol: 1e-12 })
// Each runner takes the case's `input` (snake_case keys, as written in the JSON) and returns the result; the
// result is flattened with snake_case keys, as the Rust and Python suites do.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { repoDir, flatten, tsvValue, checkField } from './helpers.mjs'

export function goldenFamily(family, runners, { defaultTol = 1e-12, nodeOnly = null } = {}) {
  const dir = path.join(process.env.CXKPI_GOLDEN_DIR || path.join(repoDir, 'tests', 'golden'), family)
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(repoDir, 'target')
  const outFile = path.join(targetDir, 'golden-out', `node-${family}.tsv`)
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : []
  const tsv = []

  after(() => {
    fs.mkdirSync(path.dirname(outFile), { recursive: true })
    fs.writeFileSync(outFile, tsv.length ? tsv.join('\n') + '\n' : '')
  })

  test(`the ${family} golden corpus exists`, () => {
    assert.ok(files.length > 0, `no golden files in ${dir}`)
  })

  for (const file of files) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
    const fn = runners[doc.function]
    test(`golden ${family}/${file}`, async (t) => {
      assert.ok(fn, `no Node runner for golden function ${doc.function}`)
      for (const c of doc.cases) {
        await t.test(c.name, () => {
          const tol = c.tolerance ?? defaultTol
          let result
          try {
            result = fn(structuredClone(c.input))
          } catch (e) {
            const kind = typeof e.kind === 'string' ? e.kind : `non-cxkpi error: ${e.message}`
            tsv.push(`${doc.function}/${c.name}\terror\t${kind}`)
            assert.ok(c.error, `unexpected error ${e.code}: ${e.message}`)
            assert.equal(e.kind, c.error.kind, `expected error ${c.error.kind}, got ${e.code}: ${e.message}`)
            assert.equal(e.code, 'CXKPI_' + c.error.kind.toUpperCase())
            return
          }
          const leaves = flatten(result).filter(([k]) => !(nodeOnly && nodeOnly.test(k)))
          for (const [k, v] of leaves) tsv.push(`${doc.function}/${c.name}\t${k}\t${tsvValue(v)}`)
          assert.ok(!c.error, `expected error ${c.error?.kind}, got a result`)
          const got = new Map(leaves)
          const problems = []
          for (const [k, e] of Object.entries(c.expect ?? {})) {
            const msg = checkField(e, got.has(k) ? got.get(k) : undefined, tol)
            if (msg) problems.push(`${k}: ${msg}`)
          }
          assert.deepEqual(problems, [])
        })
      }
    })
  }
}
