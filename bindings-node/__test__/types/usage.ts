// Type-checked (never run) by typings.test.mjs: the generated index.d.ts must describe the API precisely
// enough for a strict TypeScript caller.
import {
  nps, npsAsync, npsFromCounts, topBox, shareFromCounts, proportionInterval, meanScore, ces, meanFromSummary,
  churn, convertRate, sentimentShare, sentimentFromCounts, compareNps, compareShares, compareMeans, sampleSize,
  grouped, groupedAsync, npsPartial, topBoxPartial, meanPartial, sentimentPartial, churnPartial, mergePartials,
  finishPartial, version, errorKinds,
  type NpsResult, type ShareResult, type MeanResult, type GroupedResult, type CxkpiError, type MetricPartial,
} from '../../index.js'

const scores = new Float64Array([10, 9, 3, NaN])
const r: NpsResult = nps(scores, null, { interval: 'wald', confidence: 0.9, promoterMin: 9 })
const x: number = r.nps + r.lower + r.upper + r.nMissing
const se: number | null = r.seLinearised
nps([10, null, 9])
const p: Promise<NpsResult> = npsAsync([1, 2], [1, 1])
npsFromCounts(1, 2, 3, { interval: 'exact_bootstrap' })
const s: ShareResult = topBox([5, 4], null, { k: 1, side: 'bottom', interval: 'jeffreys' })
shareFromCounts(3, 10).se?.toFixed(2)
proportionInterval(3, 10, { method: 'clopper_pearson' }).upper.toFixed(3)
const m: MeanResult = meanScore([1, 2], undefined, { scaleMin: 1, scaleMax: 5 })
ces([7, 6]).scale?.max
meanFromSummary(5, 1, 30).df
churn(1000, 20, { periodMonths: 3, base: 'start' }).annualisedChurn.toFixed(3)
const y: number = convertRate(0.02, 1, 12)
sentimentShare(['positive', null]).polarity
sentimentFromCounts(1, 2, 3).netSentiment
compareNps(r, r, { method: 'welch' }).pValue
compareShares(s, s).significant
compareMeans(m, m).difference
sampleSize('nps', 5, { population: 1000, responseRate: 0.2 }).invitations
const g: GroupedResult = grouped('nps', scores, [new Uint32Array(4), [0, 1, 0, 1]])
const e: number = g.estimate[0] + g.keys[0][0]
const ga: Promise<GroupedResult> = groupedAsync('top_box', [5, 4], [[0, 1]], null, { k: 1 })
const a = npsPartial(scores)
const b: MetricPartial = JSON.parse(JSON.stringify(topBoxPartial([5])))
const merged = mergePartials(a, npsPartial([1]))
const fin: NpsResult = finishPartial(merged, { interval: 'wald' })
finishPartial(b, { confidence: 0.9 })
meanPartial([1]); sentimentPartial(['negative']); churnPartial(10, 1, null)
const v: string = version()
const k: string[] = errorKinds()
try { nps([]) } catch (err) { const ce = err as CxkpiError; const c: string = ce.code; const i: number | null = ce.index }

// @ts-expect-error: unknown interval method
nps(scores, null, { interval: 'magic' })
// @ts-expect-error: results have no snake_case fields
r.n_missing
// @ts-expect-error: metric is a union of names
grouped('median', scores, [[0]])

export { x, se, p, y, e, ga, fin, v, k }
