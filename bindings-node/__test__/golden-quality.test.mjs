// The quality golden family (tests/golden/quality/*.json) through the Node API (qualityCall).
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const call = (fn) => (input) => cx.qualityCall(fn, JSON.stringify(input))

goldenFamily(
  'quality',
  {
    validate: call('validate'),
    suppress: call('suppress'),
    view_policy: call('view_policy'),
    reconcile: call('reconcile'),
  },
  { defaultTol: 1e-12 },
)
