/**
 * The index notebook's tables: the transports and the article methods they stand for, the
 * article's published summary, and what this machine is.
 */

import { ARTICLE_CITATION, articleSummary } from '../findings/article';
import { CPYTHON_TRANSPORTS, NODE_TRANSPORTS, patternsOf } from '../model/catalog';
import { MISSING } from '../model/format';
import type { RunDescription } from '../model/types';
import { describeRun } from '../sweep/run-description';
import { showTable } from './display';

/** This machine and this code, now: what a run's description would say (machineLine words it). */
export function thisMachine(): RunDescription {
  return describeRun({ runId: 'now', commandLine: '', label: 'this machine', python: null });
}

/** Every Node transport with the article's method it stands for and its CPython reproduction, as one table. */
export function showTransports(): void {
  const cpythonFor = (method: string) =>
    CPYTHON_TRANSPORTS.filter((t) => t.articleMethod === method)
      .map((t) => t.id)
      .join(', ');
  const rows = NODE_TRANSPORTS.map((t) => ({
    articleMethod: t.articleMethod ?? '(beyond the article)',
    transport: t.id,
    peers: t.peers,
    mechanism: t.mechanism,
    dataConstraint: t.dataConstraint,
    needsFlag: t.needsFlag ? 'yes' : 'no',
    patterns: patternsOf(t).join(', '),
    cpython: t.articleMethod ? cpythonFor(t.articleMethod) : MISSING,
  }));
  showTable(rows, {
    caption: 'Node.js transports in the catalog (lib/model/node-transports.ts)',
    labels: {
      articleMethod: "article's method",
      transport: 'transport id',
      mechanism: 'how it works',
      dataConstraint: 'what it can carry',
      needsFlag: 'completion flag',
      cpython: 'CPython reproduction',
    },
  });
}

/** The article's Result Summary as published, with its citation as caption. */
export function showArticleTable(): void {
  const columns = ['method', 'sendSeconds', 'sendNote', 'recvSeconds', 'recvNote', 'dataConstraint', 'needsFlag', 'remarks'];
  showTable(articleSummary(), {
    columns,
    caption: ARTICLE_CITATION,
    labels: {
      sendSeconds: 'send (s)',
      sendNote: 'send includes',
      recvSeconds: 'receive (s)',
      recvNote: 'receive includes',
      dataConstraint: 'what it can carry',
      needsFlag: 'completion flag',
    },
  });
}
