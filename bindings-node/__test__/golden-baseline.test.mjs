// The baseline golden family (tests/golden/baseline/*.json: STL, MSTL, classical decomposition, baselines
// with events, level shifts, period moves) through the Node API.
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const num = (x) => (typeof x === 'string' ? { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[x] : x)
const col = (v) => Float64Array.from(v.map(num))
const camel = (o) =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))

goldenFamily(
  'baseline',
  {
    stl: (input) => cx.stl(col(input.values), camel(input.options)),
    mstl: (input) => cx.mstl(col(input.values), camel(input.options)),
    decompose: (input) => cx.decompose(col(input.values), camel(input.options)),
    baseline: (input) => cx.baseline(col(input.values), input.start, input.events ?? null, camel(input.options)),
    detect_changes: (input) => cx.detectChanges(col(input.values), camel(input.options)),
    period_move: (input) =>
      input.before_values
        ? cx.periodMoveFromValues(col(input.before_values), col(input.after_values), camel(input.options))
        : cx.periodMove(input.before, input.after, camel(input.options)),
  },
  { defaultTol: 1e-10 },
)
