/**
 * The index notebook's tables and figure: the transports and the article methods they stand for,
 * the article's published summary, and a line about the machine the notebooks ran on.
 */
import * as os from 'node:os';
import { CPYTHON_TRANSPORTS, NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { formatBytes, MISSING, plural } from '../model/format';
import { ARTICLE, articleSummary } from './article';
import { type Frame, rowsToFrame, selectColumns } from './dataframe';
import { type FigureSpec, groupedBarFigure } from './figures';
import type { TableOptions } from './tables';

/** One sentence: the scale the notebooks ran at and the machine (no paths, no host name). */
export function machineSentence(env: NodeJS.ProcessEnv = process.env): string {
  const cpus = os.cpus();
  return (
    `Executed at scale **${env.IPC_LAB_SCALE ?? 'article'}** on ${cpus[0]?.model ?? 'an unknown CPU'} ` +
    `(${plural(cpus.length, 'core')}, ${formatBytes(os.totalmem())}), Node.js ${process.version}, ` +
    `${os.type()} ${os.release()}. This page measures nothing itself; the numbers below are the article's.`
  );
}

/** Every Node transport with the article's method it stands for and its CPython reproduction. */
export function transportsTable(): { frame: Frame; options: TableOptions } {
  const cpythonFor = (method: string) =>
    CPYTHON_TRANSPORTS.filter((t) => t.articleMethod === method)
      .map((t) => t.id)
      .join(', ');
  const frame = rowsToFrame(
    NODE_TRANSPORTS.map((t) => ({
      articleMethod: t.articleMethod ?? '(beyond the article)',
      transport: t.id,
      peers: t.peers,
      mechanism: t.mechanism,
      dataConstraint: t.dataConstraint,
      needsFlag: t.needsFlag ? 'yes' : 'no',
      patterns: patternsOf(t).join(', '),
      cpython: t.articleMethod ? cpythonFor(t.articleMethod) : MISSING,
    })),
  );
  const options: TableOptions = {
    caption: 'Node.js transports in lib/model/catalog.ts',
    labels: {
      articleMethod: "article's method",
      transport: 'transport id',
      mechanism: 'how it works',
      dataConstraint: 'what it can carry',
      needsFlag: 'completion flag',
      cpython: 'CPython reproduction',
    },
  };
  return { frame, options };
}

/** The article's Result Summary as published, with its citation as caption. */
export function articleTable(): { frame: Frame; options: TableOptions } {
  const frame = selectColumns(rowsToFrame(articleSummary()), [
    'method',
    'sendSeconds',
    'sendNote',
    'recvSeconds',
    'recvNote',
    'dataConstraint',
    'needsFlag',
    'remarks',
  ]);
  const options: TableOptions = {
    caption: ARTICLE.citation,
    labels: {
      sendSeconds: 'send (s)',
      sendNote: 'send includes',
      recvSeconds: 'receive (s)',
      recvNote: 'receive includes',
      dataConstraint: 'what it can carry',
      needsFlag: 'completion flag',
    },
  };
  return { frame, options };
}

/** The article's published send and receive per method. */
export function articleFigure(): FigureSpec {
  const article = articleSummary();
  return groupedBarFigure({
    title: "The article's published times: one list of 10⁸ integers, Python 3.7",
    categories: article.map((r) => r.method),
    xTitle: 'method',
    yTitle: 'time (s)',
    logY: 'auto',
    series: [
      { name: 'send', values: article.map((r) => r.sendSeconds) },
      { name: 'receive', values: article.map((r) => r.recvSeconds) },
    ],
  });
}
