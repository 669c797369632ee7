/**
 * The shape every per-method notebook (02 … 08) shares: the method in the article and in Node.js,
 * the one call that runs it, its table, its figure, the article's published figure beside ours,
 * and this run's own totals in words. Only the prose differs between them.
 */

import { type ArticlePhase, articlePhases, articleSummary } from '../../lib/findings/article';
import { formatSeconds } from '../../lib/model/format';
import { NOTEBOOK_EXPERIMENTS } from '../../lib/sweep/sweep-experiments';
import { code, md, type NotebookSource } from './make-notebook';

/** The article's published send of a method, as the words of a source quote it (from data/article/, never copied). */
export const articleSend = (method: string): string => formatSeconds(articleSummary().find((r) => r.method === method)?.sendSeconds);

/** One phase the article logged for a method (data/article/phases.csv), as the words of a source quote it. */
export const articleLogged = (method: string, phase: ArticlePhase): string =>
  formatSeconds(articlePhases().find((p) => p.method === method && p.phase === phase)?.seconds);

/** The experiments of the per-method notebooks (02 … 08), which the summaries (09, 10, 11) show again. */
export const METHOD_EXPERIMENTS: readonly string[] = NOTEBOOK_EXPERIMENTS.map((e) => e.name).filter((n) => n.startsWith('method-'));
/** The same, as a code cell lists them. */
export const METHOD_EXPERIMENTS_CODE = METHOD_EXPERIMENTS.map((e) => `'${e}'`).join(', ');

export interface MethodNotebook {
  /** `NN-<method>`: the notebook shows the experiment `method-<method>` of lib/sweep/sweep-experiments.ts. */
  name: string;
  /** The article's name for the method, as in data/article/summary.csv. */
  articleMethod: string;
  title: string;
  /** How the article's method works, and how Node.js does the same: our words, markdown. */
  howItWorks: string;
  /** What to look for in the numbers (markdown). */
  reading: string;
}

export function methodNotebook(m: MethodNotebook): NotebookSource {
  const experiment = `method-${m.name.replace(/^\d+-/, '')}`;
  return {
    name: m.name,
    experiments: [experiment],
    cells: [
      md(`# ${m.title}\n\n${m.howItWorks}`),
      code(`
        import { articleBesideFigure, formatRatio, formatSeconds, formatSize, type ListAgainstInt32, listAgainstInt32, phaseFigure, runAndDescribe, showFailures, showFigure, showMarkdown, showPhaseTable } from './lib/notebook/index';
      `),
      md(`
        ## The run

        One call runs the experiment \`${experiment}\` from \`lib/sweep/experiments.ts\` — at the article's size
        (10⁸ integers as the list and as an \`Int32Array\`, the Int32Array also as its \`raw\`
        bytes where the method carries bytes; three rounds with the transports taking turns, where
        the article sent once) unless \`IPC_LAB_SCALE\` says otherwise — and saves its records under
        \`data/results/\`. Every transfer is verified element by element at the receiver.
      `),
      code(`const result = await runAndDescribe('${experiment}');`),
      code(`
        showPhaseTable(result.records, '${m.articleMethod} in Node.js');
        showFailures(result.records);
      `),
      code(`await showFigure(phaseFigure(result.records, '${m.articleMethod} in Node.js: where the time goes'));`),
      md(`
        ## Beside the article

        The article's published send and receive times for ${m.articleMethod} (Python 3.7, its own machine),
        next to this run's. The article has no total; ours runs from the sender's first step to the
        receiver holding the decoded data, on one clock.
      `),
      code(`await showFigure(articleBesideFigure('${m.articleMethod}', result.records));`),
      code(`
        const totals = listAgainstInt32(result.records, 'largest');
        const total = (seconds: number | null, outcome: string) => (seconds === null ? outcome : \`total \${formatSeconds(seconds)}\`);
        const line = (t: ListAgainstInt32) =>
          \`- \\\`\${t.transport}\\\`: \${total(t.listSeconds, t.listOutcome)} for the list, \${total(t.int32Seconds, t.int32Outcome)} for the Int32Array\` +
          (t.ratio === null ? '' : \` — the list costs \${formatRatio(t.ratio)} the typed array\`);
        showMarkdown(\`In this run, at \${formatSize(totals[0].sizeElements)} elements:\\n\\n\${totals.map(line).join('\\n')}\`);
      `),
      md(`## Reading it\n\n${m.reading}`),
    ],
  };
}
