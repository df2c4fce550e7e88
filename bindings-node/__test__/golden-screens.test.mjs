// The screens golden family (tests/golden/screens/*.json: drift, manipulation screens, alerts) through the
// Node API.
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const num = (x) => (typeof x === 'string' ? { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[x] : x)
const col = (v) => Float64Array.from(v.map(num))
const rest = (input, skip) => Object.fromEntries(Object.entries(input).filter(([k]) => !skip.includes(k)))
const camel = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))
const opts = (input, skip) => camel(rest(input, skip))

goldenFamily(
  'screens',
  {
    psi: (input) => cx.psi(col(input.reference), col(input.current), opts(input, ['reference', 'current'])),
    ks_2samp: (input) => cx.ks2samp(col(input.reference), col(input.current), opts(input, ['reference', 'current'])),
    jensen_shannon: (input) => cx.jensenShannon(col(input.p), col(input.q), opts(input, ['p', 'q'])),
    chi_square: (input) => cx.chiSquare(input.table, opts(input, ['table'])),
    top_box_inflation: (input) => cx.topBoxInflation(col(input.scores), Uint32Array.from(input.teams), opts(input, ['scores', 'teams'])),
    low_variance: (input) => cx.lowVariance(col(input.values), Uint32Array.from(input.teams), opts(input, ['values', 'teams'])),
    duplicate_verbatims: (input) =>
      cx.duplicateVerbatims(input.texts, input.teams ? Uint32Array.from(input.teams) : null, opts(input, ['texts', 'teams'])),
    selective_filtering: (input) =>
      cx.selectiveFiltering(col(input.scores), input.teams, input.period, input.rates, opts(input, ['scores', 'teams', 'period', 'rates'])),
    coaching_step: (input) =>
      cx.coachingStep(col(input.values), input.teams, col(input.day), input.events, opts(input, ['values', 'teams', 'day', 'events'])),
    build_alerts: (input) => cx.buildAlerts(input.signals, input.ladder, opts(input, ['signals', 'ladder'])),
  },
  { defaultTol: 1e-12 },
)
