/**
 * What notebook cells use, from one module: every notebook imports from `./lib/notebook/index` (tslab resolves no directory index) and
 * nothing else, so moving a file inside lib/ never rewrites a notebook's cells. Also the API for
 * a reader's own notebook (see the README, "Use it from a notebook").
 */

export {
  batchingFindings,
  cpuFindings,
  fastestFindings,
  jsonFindings,
  messageChecks,
  WAKEUP_BOUND,
  wakeupFinding,
} from '../findings/message-findings';
export { P50_TARGET, RATE_TARGET, smallSize, targetRows, targetVerdicts } from '../findings/messages';
export { absentRuntimes, type Measured, presentRuntimes, runtimeTableRows } from '../findings/runtimes';
export { type Comparison, messageFindings, runtimeCaveats, transferFinding } from '../findings/runtimes-findings';
export { zeroCopyFindings, zeroCopyPhaseRows } from '../findings/zero-copy';
export { RING_WAITING } from '../measure/transports/ring';
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
export type { Runtime, TransferRecord } from '../model/types';
export type { ExperimentResult } from '../sweep/experiments';
export { obtain, provenance, scaleFromEnv } from '../sweep/experiments';
export { obtainMessages } from '../sweep/message-experiments';
export { ARTICLE_CITATION, articlePhases, articlePipeSweep, articleSummary } from './article';
export { articleBesideFigure, articleFigure, sizeSweepFigure, sizeSweepRows } from './beside-article';
export {
  type ListAgainstInt32,
  listAgainstInt32,
  listCostRange,
  ranking,
  resultSummaryRows,
  type SizeWinners,
  type SummaryTableRow,
  summaryTotalsFigure,
  sweepGrowth,
  winnersBySize,
} from './chapters';
export type { Frame } from './dataframe';
export { frameToRows, pivot, recordsToFrame, rowsToFrame, summarizeFrame } from './dataframe';
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
export { codecTableRows, cpuFigure, MESSAGE_GROUPS, messageFigure, messageTableRows, targetTableRows } from './message-figures';
export { showArticleTable, showTransports, thisMachine } from './overview';
export { RUNTIME_NAMES } from './palette';
export {
  type MedianRow,
  medianRows,
  obtainAll,
  phaseFigure,
  preferFromEnv,
  runAndDescribe,
  showFailures,
  showPhaseTable,
  sizeFigure,
} from './report';
export {
  type ComparisonRow,
  compareRuns,
  comparisonTableRows,
  defaultPair,
  describeRunLine,
  type LoadedRun,
  loadRuns,
  type RunSet,
  runDescriptions,
  runsFigure,
  runsSideBySide,
  type SideBySideRow,
  sideBySide,
} from './runs';
export { messageRateFigure, methodsFigure, peakRssFigure, roundTripFigure, runtimeTitle } from './runtime-figures';
export {
  benchChannels,
  benchRefusals,
  channelCodecFigure,
  channelTableRows,
  floorTableRows,
  runBenchAndDescribe,
  type SerializerFindings,
  serializerFindings,
  timeSplitFigure,
} from './serializers';
export { type ThreeWayFinding, type ThreeWayRow, threeWayFigure, threeWayFinding, threeWayRows, type Verdict } from './three-ways';
export { runExperiment, showExperiment, type YourExperiment } from './your-experiment';
export { ZERO_COPY_KEY_SERIES, zeroCopyPhaseFigure, zeroCopySizeFigure } from './zero-copy-figures';
