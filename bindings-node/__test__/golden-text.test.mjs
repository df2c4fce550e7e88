// The text golden family (tests/golden/text/*.json) through the Node API.
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const num = (x) => (typeof x === 'string' ? { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }[x] : x)
const col = (v) => Float64Array.from(v.map(num))
const rest = (input, skip) => Object.fromEntries(Object.entries(input).filter(([k]) => !skip.includes(k)))
const camel = (o) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]))
const opts = (input, skip) => camel(rest(input, skip))
const tags = (input) => cx.tagThemes(input.taxonomy, input.verbatims, input.languages ?? null)

goldenFamily(
  'text',
  {
    tag_themes: (input) => tags(input),
    theme_impact: (input) => {
      const o = opts(input, ['taxonomy', 'verbatims', 'sentiment', 'value'])
      if (input.value) o.value = col(input.value)
      return cx.themeImpact(tags(input), col(input.sentiment), o)
    },
    theme_trend: (input) => cx.themeTrend(tags(input), input.periods),
    validate_taxonomy: (input) => cx.validateTaxonomy(input.taxonomy, tags(input), input.labels),
    map_theme_counts: (input) => cx.mapThemeCounts(input.old, input.new, input.map, col(input.counts)),
    standardise_sentiment: (input) => cx.standardiseSentiment(col(input.scores), input.method),
    isotonic_fit: (input) => {
      const o = opts(input, ['scores', 'targets', 'weights'])
      if (input.weights) o.weights = col(input.weights)
      return cx.isotonicFit(col(input.scores), col(input.targets), o)
    },
    cohen_kappa: (input) => cx.cohenKappa(input.a, input.b, opts(input, ['a', 'b'])),
    bland_altman: (input) => cx.blandAltman(col(input.a), col(input.b), opts(input, ['a', 'b'])),
    provider_agreement: (input) => cx.providerAgreement(col(input.a), col(input.b), opts(input, ['a', 'b'])),
    sentiment_survey_agreement: (input) =>
      cx.sentimentSurveyAgreement(col(input.sentiment), col(input.scores), opts(input, ['sentiment', 'scores'])),
  },
  { defaultTol: 1e-12 },
)
