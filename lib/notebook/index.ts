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
export {
  benchTargetResults,
  MACHINE_SPEED_TARGETS,
  type MachineSpeedTarget,
  type TargetResult,
  type TargetVerdict,
  threeWayTargetResults,
  verdictCounts,
} from '../findings/machine-speed-targets';
export { type MedianRow, medianRows } from '../findings/medians';
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
export { compareRuns, defaultPair, type LoadedRun, loadRuns, type RunSet, type SideBySideRow, sideBySide } from '../findings/runs';
export { absentRuntimes, type Measured, presentRuntimes, runtimeTableRows } from '../findings/runtimes';
export { type Comparison, messageFindings, runtimeCaveats, transferFinding } from '../findings/runtimes-findings';
export { benchChannels, type SerializerFindings, serializerFindings } from '../findings/serializers';
export { type ThreeWayFinding, type ThreeWayRow, threeWayFinding, threeWayRows, type Verdict } from '../findings/three-ways';
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
export { machineTargetTableRows } from './machine-speed-targets';
export { codecTableRows, cpuFigure, MESSAGE_GROUPS, messageFigure, messageTableRows, targetTableRows } from './message-figures';
export { showArticleTable, showTransports, thisMachine } from './overview';
export { RUNTIME_NAMES } from './palette';
export { obtainAll, phaseFigure, preferFromEnv, runAndDescribe, showFailures, showPhaseTable, sizeFigure } from './report';
export { comparisonTableRows, runDescriptions, runsFigure, runsSideBySide } from './runs';
export { messageRateFigure, methodsFigure, peakRssFigure, roundTripFigure, runtimeTitle } from './runtime-figures';
export { benchRefusals, channelCodecFigure, channelTableRows, floorTableRows, runBenchAndDescribe, timeSplitFigure } from './serializers';
export { runExperiment, showExperiment, type YourExperiment } from './your-experiment';
export { ZERO_COPY_KEY_SERIES, zeroCopyPhaseFigure, zeroCopySizeFigure } from './zero-copy-figures';
