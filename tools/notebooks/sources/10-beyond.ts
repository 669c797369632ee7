import { code, md, type NotebookSource } from '../make-notebook';
import { METHOD_EXPERIMENTS, METHOD_EXPERIMENTS_CODE } from '../method-template';

export const notebook: NotebookSource = {
  name: '10-beyond',
  experiments: [...METHOD_EXPERIMENTS, 'all-sizes'],
  cells: [
    md(`
      # Beyond the article: every transport at every size

      The article compared methods at one size (10⁸) and swept sizes for one method (Pipe). Here
      every Node.js transport runs at every size from 10 to 10⁷ elements, three times after a
      warm-up, with both payloads, the transports taking turns (round 1 of every transport, then
      round 2, …); the 10⁸ results come from the method notebooks of this run. The Int32Array also
      goes as \`raw\` bytes through every channel that carries bytes (\`pipe/raw\`, \`tcp/raw\`, …):
      the typed array's own memory written to the channel and read into one buffer the receiver
      keeps, with no serializer copy on either side.
      Three questions: how does throughput grow with size, which transport wins at which size, and
      what does a plain list cost against an \`Int32Array\`?
    `),
    code(`
      import { formatRatio, formatSize, listAgainstInt32, listCostRange, obtainAll, pivot, rowsToFrame, runAndDescribe, showFailures, showFigure, showMarkdown, showTable, sizeFigure, transportLabel, winnersBySize } from './lib/notebook/index';
    `),
    code(`
      const largest = await obtainAll([${METHOD_EXPERIMENTS_CODE}], { prefer: 'saved' });
    `),
    code(`
      const sweep = await runAndDescribe('all-sizes');
      const records = [...sweep.records, ...largest];
      showFailures(records);
    `),
    md(`
      ## Throughput against size

      Throughput is the int32-equivalent data (4 bytes an element, whatever the payload) divided by
      the median total time. Small transfers are dominated by fixed costs, so throughput climbs with
      size until the per-element work takes over.
    `),
    code(`
      await showFigure(sizeFigure(records.filter((r) => r.payload === 'int32'), { title: 'Int32Array: throughput against size, log–log', y: 'throughputMBps', group: transportLabel }));
    `),
    code(`
      await showFigure(sizeFigure(records.filter((r) => r.payload === 'list'), { title: 'Plain list: throughput against size, log–log', y: 'throughputMBps', group: transportLabel }));
    `),
    md(`
      ## Which transport wins at which size

      For each payload and size, the transport with the lowest median total (between processes and
      between threads separately, since threads share an address space).
    `),
    code(`
      showTable(winnersBySize(records), {
        caption: 'The fastest transport per payload and size: lowest median total (seconds)',
        labels: { sizeElements: 'elements', processes: 'between processes', processesSeconds: 'total between processes', threads: 'between threads', threadsSeconds: 'total between threads' },
      });
    `),
    md(`
      ## A plain list against an Int32Array

      The same integers, the same transport, the same size: how many times longer the list takes.
      Pivoted with danfojs: one row per transport, one column per size.
    `),
    code(`
      const ratios = listAgainstInt32(records);
      const table = pivot(rowsToFrame(ratios.map(({ transport, sizeElements, ratio }) => ({ transport, elements: formatSize(sizeElements), ratio }))), { index: 'transport', columns: 'elements', values: 'ratio' });
      showTable(table, { caption: 'list total ÷ Int32Array total (median); above 1: the list is slower', digits: 3 });
    `),
    code(`
      const range = listCostRange(ratios);
      showMarkdown(
        range === null
          ? 'No size had both payloads.'
          : \`At the largest size the list costs from \${formatRatio(range.least.ratio)} (\\\`\${range.least.transport}\\\`) to \${formatRatio(range.most.ratio)} (\\\`\${range.most.transport}\\\`) the Int32Array's time.\`,
      );
    `),
    md(`
      ## Reading it

      - Small transfers are a handful of system calls and wake-ups whatever they carry, so
        throughput climbs with size until the per-element or per-byte work takes over.
      - A transfer list moves an Int32Array without copying it, so its throughput keeps climbing
        with size; every other transport copies the data at least once, into fresh memory.
      - The list costs the most where the transport would otherwise not touch each element (bulk
        copies, transfer lists): there, packing into an Int32Array is nearly the whole cost.
    `),
  ],
};
