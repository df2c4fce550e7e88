// The composite golden family (tests/golden/composite/*.json) through the Node API (Scorecard class and the
// composite functions).
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const num = (x) => (typeof x === 'string' ? { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[x] : x)
const col = (v) => Float64Array.from(v.map(num))
const sc = (input) => cx.Scorecard.fromObject(input.scorecard)
const rest = (input, skip) => Object.fromEntries(Object.entries(input).filter(([k]) => !skip.includes(k)))
const camel = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))

goldenFamily(
  'composite',
  {
    evaluate_scorecard: (input) => sc(input).evaluate(input.values, camel(input.options)).toObject(),
    explain: (input) => ({ steps: sc(input).evaluate(input.values, camel(input.options)).explain(input.unit, input.kpi) }),
    sensitivity: (input) => sc(input).sensitivity(input.values, camel(input.options)),
    balance: (input) => sc(input).balance(),
    redundancy: (input) => sc(input).redundancy(input.values),
    myopia: (input) => ({ flags: sc(input).myopia(input.values) }),
    scorecard_from_toml: (input) => cx.Scorecard.fromToml(input.toml).toObject(),
    normalise: (input) => cx.compositeNormalise(col(input.x), camel(rest(input, ['x']))),
    aggregate: (input) => cx.compositeAggregate(col(input.values), col(input.weights), camel(rest(input, ['values', 'weights']))),
    slope_test: (input) => cx.compositeSlopeTest(col(input.y), camel(rest(input, ['y']))),
    suggest_weights: (input) => cx.suggestWeights(input.components, input.outcome),
  },
  { defaultTol: 1e-12 },
)
