/**
 * What notebook cells use, from one module: every notebook imports from `./lib/notebook/index` (tslab resolves no directory index) and
 * nothing else, so moving a file inside lib/ never rewrites a notebook's cells. Also the API for
 * a reader's own notebook (see the README, "Use it from a notebook").
 */

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
export type { ExperimentResult } from '../sweep/experiments';
export { obtain, provenance } from '../sweep/experiments';
export { obtainMessages } from '../sweep/message-experiments';
export { articlePhases, articlePipeSweep, articleSummary } from './article';
export {
  listCostSentence,
  listOverInt32,
  methodRunSentence,
  pipeSweepSentence,
  rankingSentence,
  resultSummaryRows,
  summaryTotalsFigure,
  winnersBySize,
} from './chapters';
export { type ComparisonRow, compareRuns, describeRunLine, type LoadedRun, loadRuns, type RunSet } from './compare-runs';
export type { Frame } from './dataframe';
export { frameToRows, pivot, recordsToFrame, rowsToFrame, selectColumns, summarizeFrame } from './dataframe';
export { showFigure, showMarkdown, showTable } from './display';
export type { FigureSpec } from './figures';
export { groupedBarFigure, lineFigure } from './figures';
export {
  IPC_BENCH_OUR_BYTES,
  type IpcBenchComparison,
  ipcBenchComparison,
  ipcBenchRates,
  ipcBenchTableRows,
} from './ipc-bench';
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
export { articleFigure, articleTable, machineSentence, transportsTable } from './overview';
export { RUNTIME_NAMES } from './palette';
export {
  articleBesideFigure,
  medianOf,
  NODE_FOR_ARTICLE_METHOD,
  obtainAll,
  phaseFigure,
  phaseMedians,
  preferFromEnv,
  runAndDescribe,
  showFailures,
  showPhaseTable,
  sizeFigure,
  sizeSweepFigure,
  sizeSweepFrame,
  transportList,
} from './report';
export { comparisonTableRows, defaultPair, runDescriptions, runsFigure, runsSideBySide } from './runs';
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
export {
  benchChannels,
  benchRefusals,
  channelCodecFigure,
  channelTableRows,
  floorTableRows,
  runBenchAndDescribe,
  serializerLessons,
  timeSplitFigure,
} from './serializers';
export { type ThreeWayRow, threeWayFigure, threeWayRows, threeWaySentence } from './three-ways';
export { experimentConfig, runExperiment, showExperiment, type YourExperiment, type YourResult } from './your-experiment';
export {
  type TargetFinding,
  ZERO_COPY_KEY_SERIES,
  zeroCopyFindings,
  zeroCopyPhaseFigure,
  zeroCopyPhaseRows,
  zeroCopySizeFigure,
} from './zero-copy';
