/** notebooks/12-serializers.ipynb: codec × payload per channel, against the floor and the C limit. */
import { code, md, type NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '12-serializers',
  experiments: ['serializers'],
  cells: [
    md(`
      # What the serializer costs

      The article pickles its list; the Node.js notebooks use \`v8.serialize\`, Node's analog. But a
      stream carries bytes, and how the list becomes bytes is a choice: \`v8\`, \`JSON\`, the
      \`raw\` bytes of an \`Int32Array\` (no serialize copy, and the receiver gets a view of the
      buffer it read into), [msgpackr](https://github.com/kriszyp/msgpackr), or \`packed\`: a plain
      list packed into int32 bytes and rebuilt as a real \`number[]\` at the receiver.

      This notebook runs \`npm run bench\` on the byte-carrying channels (pipe, Unix socket, TCP on
      loopback, file) with every codec and both payloads, from 10⁵ to 10⁸ elements. Each row is
      held against its **floor**: the operations the mechanism cannot avoid, each measured alone —
      the same encoded bytes through a raw channel of the same kind into fresh memory, plus the
      codec's own encode and decode. Beside it, a small C program moves 4 bytes per element through
      the same kind of channel: what the machine allows. The repeats are interleaved (every
      transport and codec once per round, its floor's operations between them), so every ratio
      compares numbers from the same minutes.
    `),
    code(`
      import { benchChannels, benchRefusals, benchTargetResults, channelCodecFigure, channelTableRows, floorTableRows, formatRatio, formatSeconds, formatSize, machineTargetTableRows, runBenchAndDescribe, serializerFindings, showFigure, showMarkdown, showTable, timeSplitFigure, verdictCounts } from './lib/notebook/index';
    `),
    code(`
      const { run } = await runBenchAndDescribe('serializers');
    `),
    md(`
      ## Where the time goes

      Each bar is one channel and codec at the largest size: the codec's encode and decode as the
      transfer's own peers measured them, and the rest of the total — the bytes crossing the
      channel and the receiver waiting for them.
    `),
    code(`await showFigure(timeSplitFigure(run, 'list'));`),
    code(`await showFigure(timeSplitFigure(run, 'int32'));`),
    md(`
      ## Every codec against size, with the floor and the C limit

      One figure per channel: each codec's median total for the list (solid) and the Int32Array
      (dashed), the floor of the fastest codec at each size, and the C program moving the same
      number of int32 bytes.
    `),
    code(`
      for (const channel of benchChannels(run)) await showFigure(channelCodecFigure(run, channel));
    `),
    md(`
      ## The tables

      Transport ÷ floor is what ipc-lab's own code costs above the unavoidable; the spread is how
      much the repeats disagreed ((max − min) ÷ 2, against the median). Node raw ÷ C is what Node
      itself costs above a C program making the same system calls, with Node reading both ways it
      can: straight into the destination (direct, as the stream transports read) and through
      libuv's 64 KiB chunks (chunked).
    `),
    code(`showTable(floorTableRows(run, 'list'), { caption: 'Plain list: total, floor and total ÷ floor (medians)', digits: 3 });`),
    code(`showTable(floorTableRows(run, 'int32'), { caption: 'Int32Array: total, floor and total ÷ floor (medians)', digits: 3 });`),
    code(
      `showTable(channelTableRows(run), { caption: "Node's raw channel against the C program, same bytes, fresh destination", digits: 3 });`,
    ),
    code(`showTable(benchRefusals(run), { caption: 'Combinations that could not run, and why' });`),
    md(`
      ## The targets

      The targets of "byte channels at the machine's speed" (issue 20) that this bench measures,
      judged from this run: Node's raw channel ÷ C (≤ 1.15 at 10⁸, ≤ 1.5 at 10⁷), \`raw\` ÷ Node's
      direct raw channel (≤ 1.1) and \`v8\` ÷ floor (≤ 1.25) at 10⁷ and 10⁸ (the sizes \`npm run
      bench\` measures; below them a transfer takes a few milliseconds, and the order of the steps
      around it moves it more than the targets allow: those ratios are in the tables above), a packed list's decode in the receiving
      peer ÷ the same decode in a warm process at 10⁸ (≤ 1.3), and the file with \`raw\` at 10⁸
      steadier than ±20 % over 5 rounds. A value from fewer rounds than a target asks for is shown
      without a verdict.

      Each ratio is taken within a round, where both its sides ran seconds apart (the transport and
      its floor's parts, or Node's channel and the C program), and a target's value is the median of
      those ratios, its spread how much they disagreed. This machine's speed drifts from minute to
      minute: a ratio of two medians, each over rounds minutes apart, would mix that drift into it.
    `),
    code(`
      const targets = benchTargetResults(run);
      showTable(machineTargetTableRows(targets), { caption: 'Targets: each ratio the median of its same-round ratios in this run, and the verdict', digits: 3 });
      const counts = verdictCounts(targets);
      showMarkdown(\`Of \${targets.length} targets and subjects: **\${counts.met} met**, **\${counts.missed} missed**, \${counts['not-measured']} not measured (each with its reason in the table).\`);
    `),
    md(`
      ## What this run shows
    `),
    code(`
      const f = serializerFindings(run);
      const a = { list: 'a plain list', int32: 'an Int32Array' };
      const fastest = f.fastest.map(
        ({ payload, sizeElements, channels }) =>
          \`- \${payload === 'list' ? 'A plain list' : 'An Int32Array'} of \${formatSize(sizeElements)} elements, fastest codec per channel: \` +
          channels
            .map(
              (c) =>
                \`\\\`\${c.channel}\\\` — **\${c.codec}** \${formatSeconds(c.seconds)}\` +
                (c.overV8 === null ? '' : \`, \${formatRatio(c.overV8)} faster than v8 (\${formatSeconds(c.v8Seconds)})\`) +
                (c.floorRatio === null ? '' : \`; \${formatRatio(c.floorRatio)} its floor\`),
            )
            .join('; ') + '.',
      );
      const c = f.againstC;
      const againstC = c
        ? [\`- Node's raw channel against the C program, \${formatSize(c.sizeElements)} elements' bytes: \${c.rows.map((r) => \`\\\`\${r.channel}\\\` \${formatSeconds(r.nodeSeconds)} vs \${formatSeconds(r.cSeconds)} (\${formatRatio(r.ratio)})\`).join(', ')}.\`]
        : [];
      const notRun = f.notRun.length > 0 ? [\`- Not run (each with its reason in the table above): \${f.notRun.map((n) => \`\${n.codec} with \${a[n.payload]}\`).join(', ')}.\`] : [];
      showMarkdown(['In this run:', '', ...fastest, ...againstC, ...notRun].join('\\n'));
    `),
    md(`
      Why it comes out this way: whatever the codec, the receiver of a plain list must rebuild every
      JavaScript number; \`v8\` and msgpackr also walk the list value by value with a type tag each,
      while \`packed\` makes one pass into int32 bytes and one pass out. For an \`Int32Array\`,
      \`raw\` skips the serialize and the deserialize copies, so what is left is the channel itself,
      and the C program shows how much of that is Node's. [11-three-ways](11-three-ways.ipynb)
      holds the fastest codec against CPython's pickle on the article's methods.
    `),
  ],
};
