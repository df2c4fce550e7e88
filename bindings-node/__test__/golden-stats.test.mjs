// The stats golden family (tests/golden/stats/*.json) through the Node API.
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const num = (x) => (typeof x === 'string' ? { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[x] : x)
const col = (v) => Float64Array.from(v.map(num))
const rest = (input, skip) => Object.fromEntries(Object.entries(input).filter(([k]) => !skip.includes(k)))
const camel = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))
const opts = (input, skip) => camel(rest(input, skip))
// golden `x` is a list of predictor columns
const cols = (x) => x.map(col)

goldenFamily(
  'stats',
  {
    icc: (input) => cx.icc(input.ratings, opts(input, ['ratings'])),
    cronbach_alpha: (input) => cx.cronbachAlpha(input.items, opts(input, ['items'])),
    measurement_error: (input) => cx.measurementError(input.sd, input.reliability, opts(input, ['sd', 'reliability'])),
    test_retest: (input) => cx.testRetest(col(input.test), col(input.retest), opts(input, ['test', 'retest'])),
    correlation: (input) => cx.correlation(col(input.x), col(input.y), opts(input, ['x', 'y'])),
    correlation_matrix: (input) => {
      const data = Object.fromEntries(input.columns.map((c, j) => [`x${j}`, col(c)]))
      return cx.correlationMatrix(data, opts(input, ['columns']))
    },
    p_adjust: (input) => cx.pAdjust(col(input.p), input.method),
    ols: (input) => cx.ols(col(input.y), cols(input.x), opts(input, ['y', 'x'])),
    shapley_r2: (input) => cx.shapleyR2(col(input.y), cols(input.x)),
    logistic: (input) => cx.logistic(col(input.y), cols(input.x), opts(input, ['y', 'x'])),
    t_test: (input) => cx.tTest(col(input.x), input.y ? col(input.y) : null, opts(input, ['x', 'y'])),
    did: (input) => cx.did(col(input.y), col(input.treated), col(input.post), opts(input, ['y', 'treated', 'post'])),
    kaplan_meier: (input) => cx.kaplanMeier(col(input.time), col(input.event), opts(input, ['time', 'event'])),
    before_after: (input) => cx.beforeAfter(col(input.values), Float64Array.from(input.days), opts(input, ['values', 'days'])),
    hazard_by_group: (input) =>
      cx.hazardByGroup(col(input.time), col(input.event), Uint32Array.from(input.group), opts(input, ['time', 'event', 'group'])),
    retention_by_cohort: (input) =>
      cx.retentionByCohort(Uint32Array.from(input.cohort), col(input.churn_period), input.observed_until, input.horizon),
    shrink: (input) => cx.shrink(col(input.values), Uint32Array.from(input.groups), opts(input, ['values', 'groups'])),
  },
  { defaultTol: 1e-12 },
)
