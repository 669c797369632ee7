/**
 * What notebook cells use, from one module: every notebook imports from `./lib/notebook/index` (tslab resolves no directory index) and
 * nothing else, so moving a file inside lib/ never rewrites a notebook's cells. Also the API for
 * a reader's own notebook (see the README, "Use it from a notebook").
 */

export { ARTICLE_CITATION, articlePhases, articlePipeSweep, articleSummary } from '../findings/article';
export {
  type ListAgainstInt32,
  listAgainstInt32,
  listCostRange,
  ranking,
  resultSummaryRows,
  type SizeWinners,
  type SummaryTableRow,
  sweepGrowth,
  winnersBySize,
} from '../findings/chapters';
export { IPC_BENCH_OUR_BYTES, type IpcBenchComparison, ipcBenchComparison, ipcBenchRates } from '../findings/ipc-bench';
export { type MedianRow, medianRows } from '../findings/medians';
export { compareRuns, defaultPair, type LoadedRun, loadRuns, type RunSet, type SideBySideRow, sideBySide } from '../findings/runs';
export { benchChannels, type SerializerFindings, serializerFindings } from '../findings/serializers';
export { type ThreeWayFinding, type ThreeWayRow, threeWayFinding, threeWayRows, type Verdict } from '../findings/three-ways';
export { CPYTHON_TRANSPORTS, NODE_TRANSPORTS } from '../model/catalog';
export {
  formatBytes,
  formatCount,
  formatRate,
  formatRatio,
  formatSeconds,
  formatSize,
  machineLine,
  plural,
  shortCommit,
} from '../model/format';
export { transportLabel } from '../model/record';
// The runtimes and zero-copy notebooks (16, 17): their findings, tables and figures.
export type { Runtime, TransferRecord } from '../model/types';
export type { ComparisonRow } from '../sweep/compare';
export { describeRunLine } from '../sweep/compare-format';
export type { ExperimentResult } from '../sweep/experiments';
export { obtain, provenance, scaleFromEnv } from '../sweep/experiments';
export { obtainMessages } from '../sweep/message-experiments';
export { articleBesideFigure, articleFigure, sizeSweepFigure, sizeSweepRows, summaryTotalsFigure, threeWayFigure } from './article-figures';
export type { Frame } from './dataframe';
export { frameToRows, pivot, recordsToFrame, rowsToFrame, summarizeFrame } from './dataframe';
export { showFigure, showMarkdown, showTable } from './display';
export type { FigureSpec } from './figures';
export { groupedBarFigure, lineFigure } from './figures';
export { ipcBenchTableRows } from './ipc-bench';
export { notebookProgress } from './live-progress';
export { cpuFigure, MESSAGE_GROUPS, messageFigure } from './message-figures';
export {
  batchingFindings,
  codecTableRows,
  cpuFindings,
  fastestFindings,
  jsonFindings,
  messageChecks,
  RING_WAITING,
  smallSize,
  WAKEUP_BOUND,
  wakeupFinding,
} from './message-findings';
export {
  LIMIT_FOR,
  type MessagePoint,
  type MessageRun,
  messagePoints,
  messageTableRows,
  P50_TARGET,
  RATE_TARGET,
  targetRows,
  targetTableRows,
  targetVerdicts,
} from './messages';
export { showArticleTable, showTransports, thisMachine } from './overview';
export { RUNTIME_NAMES } from './palette';
export { obtainAll, phaseFigure, preferFromEnv, runAndDescribe, showFailures, showPhaseTable, sizeFigure } from './report';
export { comparisonTableRows, runDescriptions, runsFigure, runsSideBySide } from './runs';
export {
  absentRuntimes,
  type Measured,
  messageRateFigure,
  methodsFigure,
  peakRssFigure,
  presentRuntimes,
  roundTripFigure,
  runtimeTableRows,
  runtimeTitle,
} from './runtimes';
export { type Comparison, messageFindings, runtimeCaveats, transferFinding } from './runtimes-findings';
export { benchRefusals, channelCodecFigure, channelTableRows, floorTableRows, runBenchAndDescribe, timeSplitFigure } from './serializers';
export { experimentConfig, runExperiment, showExperiment, type YourExperiment, type YourResult } from './your-experiment';
export {
  type TargetFinding,
  ZERO_COPY_KEY_SERIES,
  zeroCopyFindings,
  zeroCopyPhaseFigure,
  zeroCopyPhaseRows,
  zeroCopySizeFigure,
} from './zero-copy';
