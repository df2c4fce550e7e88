// The incentive golden family (tests/golden/incentive/*.json) through the Node API (incentive* functions).
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const num = (x) => (typeof x === 'string' ? { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[x] : x)
const col = (v) => Float64Array.from(v.map(num))

goldenFamily(
  'incentive',
  {
    incentive_evaluate: (input) => cx.incentiveEvaluate(input.plan, input.inputs),
    incentive_evaluate_toml: (input) => cx.incentiveEvaluate(cx.incentivePlan(input.toml, 'toml'), input.inputs),
    incentive_explain: (input) => cx.incentiveExplain(input.plan, input.participant, input.inputs),
    incentive_what_if: (input) => cx.incentiveWhatIf(input.plan, input.changes, input.inputs),
    incentive_clawback: (input) => cx.incentiveClawback(input.plan, input.clawback.periods, input.clawback.as_of),
    incentive_bulk: (input) =>
      cx.incentiveEvaluateColumns(
        input.plan,
        input.columns.map(col),
        col(input.target_bonus),
        input.modifiers ? col(input.modifiers) : null,
        input.participation ? col(input.participation) : null,
      ),
  },
  { defaultTol: 1e-12 },
)
