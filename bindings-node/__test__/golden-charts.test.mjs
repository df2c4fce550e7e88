// The charts golden family (tests/golden/charts/*.json) through the Node API.
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const num = (x) => (typeof x === 'string' ? { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[x] : x)
const col = (v) => Float64Array.from(v.map(num))
const rest = (input, skip) => Object.fromEntries(Object.entries(input).filter(([k]) => !skip.includes(k)))
const camel = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))
const opts = (input, skip) => camel(rest(input, skip))
const counted = (r) => ({ ...r, nSignals: r.signals.length })

goldenFamily(
  'charts',
  {
    individuals_chart: (input) => counted(cx.individualsChart(col(input.x), opts(input, ['x']))),
    ewma_chart: (input) => counted(cx.ewmaChart(col(input.x), opts(input, ['x']))),
    cusum_chart: (input) => counted(cx.cusumChart(col(input.x), opts(input, ['x']))),
    p_chart: (input) => counted(cx.pChart(col(input.successes), col(input.sizes), opts(input, ['successes', 'sizes']))),
    funnel: (input) => counted(cx.funnelLimits(col(input.successes), col(input.sizes), opts(input, ['successes', 'sizes']))),
    run_rules: (input) => {
      const hits = cx.runRules(col(input.z), opts(input, ['z']))
      return { nHits: hits.length, hits }
    },
    arl: (input) => cx.averageRunLength(camel(input)),
    calibrate: (input) => cx.calibrateThreshold(camel(input)),
  },
  { defaultTol: 1e-12 },
)
