// The governance golden family (tests/golden/governance/*.json) through the Node API.
import { goldenFamily } from './golden-family.mjs'
import { cx } from './helpers.mjs'

const fit = (b) => cx.fitBridge(b.method, b.from_scale, b.to_scale, b.old, b.new)

goldenFamily(
  'governance',
  {
    in_force: (i) => cx.definitionInForce(i.registry, i.id, i.date),
    history: (i) => ({ versions: cx.definitionHistory(i.registry, i.id) }),
    retire: (i) => cx.retireDefinition(i.registry, i.id, i.date, i.approver, i.reason),
    stamp: (i) => cx.stampResult(i.registry, i.id, i.date, i.lineage),
    bridge: (i) => fit(i.bridge),
    apply_bridge: (i) => ({ values: Array.from(cx.applyBridge(fit(i.bridge), i.values), (x) => (Number.isNaN(x) ? null : x)) }),
    bridge_series: (i) => cx.bridgeSeries(fit(i.bridge), i.periods, i.values, i.break_period),
  },
  { defaultTol: 1e-12 },
)
