/** notebooks/09-summary.ipynb */
import { code, md, NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '09-summary',
  cells: [
    md(`
      # The result summary, rebuilt from our records

      The article ends with one table: for each method at 10⁸ elements, the send and receive
      times, what data it can carry, whether a separate completion flag is needed, and a remark.
      This notebook rebuilds that table from ipc-lab's records — every Node.js transport, with the
      article's list and with an \`Int32Array\` — and draws all of them side by side.

      It uses the records that notebooks [02](02-queue.ipynb)–[08](08-socket.ipynb) saved in this
      run (each says which run, below); when they are missing it runs those experiments itself.
    `),
    code(`
      import { articleSummary } from './lib/notebook/article';
      import { NODE_TRANSPORTS } from './lib/model/catalog';
      import { groupedBarFigure } from './lib/notebook/figures';
      import { frameToRows, rowsToFrame } from '../../../lib/notebook/dataframe';
      import { obtainAll, phaseMedians, showFailures, showFigure, showMarkdown, showTable } from './lib/notebook/report';
    `),
    code(`
      const methods = ['method-queue', 'method-pipe', 'method-shared-array', 'method-manager', 'method-raw-array', 'method-file', 'method-socket'];
      const records = await obtainAll(methods, { prefer: 'saved' });
    `),
    code(`
      const medians = frameToRows(phaseMedians(records));
      const article = articleSummary();
      const fmt = (v: unknown) => (typeof v === 'number' ? v : null);
      const failure = (transport: string, payload: string) => records.find((r) => r.transport === transport && r.payload === payload && !r.ok)?.error ?? '';
      const summary = NODE_TRANSPORTS.flatMap((t) =>
        (['list', 'int32'] as const).map((payload) => {
          const m = medians.find((r) => r.transport === t.id && r.payload === payload);
          const a = article.find((r) => r.method === t.articleMethod);
          return {
            method: t.articleMethod ?? '(Node only)',
            transport: t.id,
            payload,
            send: fmt(m?.sendSeconds),
            recv: fmt(m?.recvSeconds),
            total: fmt(m?.totalSeconds),
            articleSend: payload === 'list' ? a?.sendSeconds ?? null : null,
            articleRecv: payload === 'list' ? a?.recvSeconds ?? null : null,
            dataConstraint: t.dataConstraint,
            flag: t.needsFlag ? 'necessary' : 'unnecessary',
            remarks: m ? t.mechanism : \`failed: \${failure(t.id, payload).split(': ').slice(2).join(': ')}\`,
          };
        }),
      );
      showTable(rowsToFrame(summary), {
        caption: 'Result summary at the largest size of this run: Node.js here (seconds) beside the article (Python 3.7, list only)',
        labels: { articleSend: 'article send', articleRecv: 'article recv', dataConstraint: 'data constraints', flag: 'separate completion flag' },
      });
      showFailures(records);
    `),
    md(`
      ## All transports side by side

      Total time (sender's first step to the receiver holding the data) for each transport, list and
      Int32Array, on a logarithmic axis: the spread is several orders of magnitude.
    `),
    code(`
      const okTotals = (payload: string) => NODE_TRANSPORTS.map((t) => fmt(medians.find((r) => r.transport === t.id && r.payload === payload)?.totalSeconds));
      await showFigure(
        groupedBarFigure({
          title: 'Every transport, total time at the largest size (log scale)',
          categories: NODE_TRANSPORTS.map((t) => t.id),
          xTitle: 'transport',
          yTitle: 'total time (s)',
          logY: true,
          showValues: false,
          series: [
            { name: 'list', values: okTotals('list') },
            { name: 'Int32Array', values: okTotals('int32') },
          ],
        }),
      );
    `),
    code(`
      const ranked = summary.filter((r) => r.total !== null).sort((a, b) => (a.total as number) - (b.total as number));
      const line = (r: (typeof summary)[number]) => \`\\\`\${r.transport}\\\` with the \${r.payload} (\${(r.total as number).toFixed(3)} s)\`;
      showMarkdown(
        \`Fastest in this run: \${ranked.slice(0, 3).map(line).join(', ')}. Slowest: \${ranked.slice(-3).reverse().map(line).join(', ')}.\`,
      );
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
