// The governance golden family (tests/golden/governance/*.json) through the Node API (governanceCall).
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const call = (fn) => (input) => cx.governanceCall(fn, JSON.stringify(input))

goldenFamily(
  'governance',
  {
    in_force: call('in_force'),
    history: call('history'),
    retire: call('retire'),
    stamp: call('stamp'),
    bridge: call('bridge'),
    apply_bridge: call('apply_bridge'),
    bridge_series: call('bridge_series'),
  },
  { defaultTol: 1e-12 },
)
