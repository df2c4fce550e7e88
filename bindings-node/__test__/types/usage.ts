// Type-checked (never run) by typings.test.mjs: the generated index.d.ts must describe the API precisely
// enough for a strict TypeScript caller.
import {
  nps, npsAsync, npsFromCounts, topBox, shareFromCounts, proportionInterval, meanScore, ces, meanFromSummary,
  churn, convertRate, sentimentShare, sentimentFromCounts, compareNps, compareShares, compareMeans, sampleSize,
  grouped, groupedAsync, npsPartial, topBoxPartial, meanPartial, sentimentPartial, churnPartial, mergePartials,
  finishPartial, version, errorKinds,
  rake, rakeAsync, calibrate, calibrateAsync, poststratify, trimWeights, weightDiagnostics, designEstimate,
  type DesignEstimate, type DomainEstimate,
  type NpsResult, type ShareResult, type MeanResult, type GroupedResult, type CxkpiError, type MetricPartial,
  type WeightingResult, type WeightingData, type MarginTargets, type CellTargets, type TrimResult,
  type WeightDiagnostics, type MarginReport, type LevelChange,
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

// weighting
const wdata: WeightingData = { region: ['north', 'south'], age: new Uint32Array([0, 1]), band: [0, 1] }
const mt: MarginTargets = { region: { north: 60, south: 40 }, age: [50, 50], band: new Float64Array([30, 70]) }
const wr: WeightingResult = rake(wdata, mt, { base: [1, 1], tolerance: 1e-8, maxSweeps: 50, onNonconvergence: 'warn', emptyLevel: 'drop' })
const ww: Float64Array = wr.weights
const mr: MarginReport = wr.margins[0]
const lv: string[] | undefined = mr.levels
const lc: LevelChange | undefined = wr.levelChanges[0]
const into: number | null | undefined = lc?.into
const wa: Promise<WeightingResult> = rakeAsync(wdata, mt, { targetsAs: 'shares', population: 1e6 })
calibrate(wdata, mt, { distance: 'logit', bounds: [0.5, 2], base: new Float64Array(2) }).g[0].toFixed(2)
const ca: Promise<WeightingResult> = calibrateAsync(wdata, { region: [1, 1] })
const ct: CellTargets = { north: { young: 10, old: 20 }, south: { young: 30 } }
poststratify(wdata, ct, { by: ['region', 'age'], emptyLevel: 'collapse' }).margins[1].after
poststratify({ region: [0, 1] }, [[1, 2], [3, 4]], { by: 'region' })
poststratify({ region: [0, 1] }, new Float64Array([1, 2]))
const tr: TrimResult = trimWeights(ww, { upper: 3, relativeToMean: true })
const wd: WeightDiagnostics = weightDiagnostics(tr.weights, [1, 1])
const kish: number = wd.kishN + (wd.ratio ?? 0) + (wd.adjustmentDeff ?? 0)
const st: 'converged' | 'max_iter' | 'stalled' | 'infeasible' = wr.status
const de: DesignEstimate = designEstimate('nps', [10, 9], { data: wdata, weighting: wr, base: [1, 1] }, { by: [0, 1], linearisation: 'r_survey' })
const dom: DomainEstimate = de.by[0]
const dse: number | null = de.overall.se ?? dom.seFixedWeights
// @ts-expect-error: unknown linearisation
designEstimate('mean', [1, 2], { data: wdata, weighting: wr }, { linearisation: 'bootstrap' })
// @ts-expect-error: unknown calibration distance
calibrate(wdata, mt, { distance: 'quadratic' })
// @ts-expect-error: bounds are a pair
calibrate(wdata, mt, { bounds: 2 })
// @ts-expect-error: rake has no distance option
rake(wdata, mt, { distance: 'raking' })
// @ts-expect-error: a target is a number
rake(wdata, { region: { north: '60' } })

// @ts-expect-error: unknown interval method
nps(scores, null, { interval: 'magic' })
// @ts-expect-error: results have no snake_case fields
r.n_missing
// @ts-expect-error: metric is a union of names
grouped('median', scores, [[0]])

export { x, se, p, y, e, ga, fin, v, k, lv, into, wa, ca, kish, st }
