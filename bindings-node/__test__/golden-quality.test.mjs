// The quality golden family (tests/golden/quality/*.json) through the Node API.
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const camelOpts = (input, keys) => Object.fromEntries(keys.filter((k) => k in input).map((k) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), input[k]]))

goldenFamily(
  'quality',
  {
    validate: (i) => cx.validateResponses(i.rules, i.columns).toObject(),
    suppress: (i) => cx.suppress(i.counts, camelOpts(i, ['min_group_size', 'complementary', 'zero_cells'])),
    view_policy: (i) => cx.evaluateView(i.policy, i.role, i.level, i.fields),
    reconcile: (i) => cx.reconcile(i.a, i.b, camelOpts(i, ['kind', 'tolerance', 'alpha', 'share_test', 'rule', 'periods'])),
  },
  { defaultTol: 1e-12 },
)
