import { code, md, type NotebookSource } from '../make-notebook';
import { METHOD_EXPERIMENTS, METHOD_EXPERIMENTS_CODE } from '../method-template';

export const notebook: NotebookSource = {
  name: '09-summary',
  experiments: [...METHOD_EXPERIMENTS],
  cells: [
    md(`
      # The result summary, rebuilt from our records

      The article ends with one table: for each method at 10⁸ elements, the send and receive
      times, what data it can carry, whether a separate completion flag is needed, and a remark.
      This notebook rebuilds that table from ipc-lab's records — every Node.js transport, with the
      article's list and with an \`Int32Array\` — and draws all of them side by side. Beside each
      channel that carries bytes, a row \`…/raw\` sends the \`Int32Array\` as its own bytes, with
      no serializer copy on either side: the article's analog and the fastest way, side by side.

      It uses the records that notebooks [02](02-queue.ipynb)–[08](08-socket.ipynb) saved in this
      run (each says which run, below); when they are missing it runs those experiments itself.
    `),
    code(`
      import { formatSeconds, obtainAll, ranking, resultSummaryRows, showFailures, showFigure, showMarkdown, showTable, type SummaryTableRow, summaryTotalsFigure } from './lib/notebook/index';
    `),
    code(`
      const records = await obtainAll([${METHOD_EXPERIMENTS_CODE}], { prefer: 'saved' });
    `),
    code(`
      const summary = resultSummaryRows(records);
      showTable(summary, {
        caption: 'Result summary at the largest size of this run: Node.js here (seconds) beside the article (Python 3.7, list only)',
        labels: { sendSeconds: 'send', recvSeconds: 'recv', totalSeconds: 'total', articleSendSeconds: 'article send', articleRecvSeconds: 'article recv', dataConstraint: 'data constraints', flag: 'separate completion flag' },
      });
      showFailures(records);
    `),
    md(`
      ## All transports side by side

      Total time (sender's first step to the receiver holding the data) for each transport, list and
      Int32Array, on a logarithmic axis: the spread is several orders of magnitude.
    `),
    code(`await showFigure(summaryTotalsFigure(summary));`),
    code(`
      const { fastest, slowest } = ranking(summary);
      const named = (r: SummaryTableRow) => \`\\\`\${r.transport}\\\` with the \${r.payload} (\${formatSeconds(r.totalSeconds)})\`;
      showMarkdown(\`Fastest in this run: \${fastest.map(named).join(', ')}. Slowest: \${slowest.map(named).join(', ')}.\`);
    `),
    md(`
      ## Reading it

      - The article's lesson holds in Node.js: what costs is turning a plain list into bytes and back.
        Every transport that serialises a list of 10⁸ numbers spends seconds doing it; the channel
        itself (pipe, socket, file) is the smaller part.
      - The lesson Node.js adds: send an \`Int32Array\`. It serialises as one block, copies into
        shared memory with one \`set\`, and moves between threads without a copy at all (\`transfer\`).
      - A separate completion flag is needed wherever the channel has no notion of "the message is
        complete": shared memory and the file, as in the article. The socket needs none for the data
        (the frame carries its length); the article's flag there only said the server was up.
    `),
  ],
};
