/** notebooks/16-runtimes.ipynb: Node.js, Bun, Deno and CPython on the article's seven methods and on the message patterns. */
import { code, md, type NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '16-runtimes',
  experiments: ['runtimes'],
  cells: [
    md(`
      # Runtimes: Node.js, Bun, Deno and CPython

      Three JavaScript runtimes each claim faster inter-process communication. Here they run the
      same transfers: the article's seven methods, one list of integers sent once (and the same
      numbers as an \`Int32Array\`), at 10⁷ elements in two rounds and at 10⁸ in three; then the message
      patterns — round trip and one-way stream of 64 B and 64 KiB messages — over the transports
      every runtime can run. Bun and Deno run **the same compiled peers** as Node.js, with each
      method's analog codec; CPython runs the article's own \`multiprocessing\` methods with pickle
      (a list only). The runtimes interleave: round 1 of a configuration in every runtime, then
      round 2, so that a ratio compares the same minutes of the machine. Every element is checked
      at the receiver.

      Where a runtime lacks or breaks an API, the configuration is a record too: \`limits\` when
      known in advance, \`failed\` with its reason when found at run time. Nothing falls back to
      Node.js silently.
    `),
    code(`
      import { absentRuntimes, type Comparison, formatBytes, formatRatio, formatSize, messageFindings, messageRateFigure, methodsFigure, peakRssFigure, plural, presentRuntimes, RUNTIME_NAMES, roundTripFigure, type Runtime, runAndDescribe, runtimeCaveats, runtimeTableRows, runtimeTitle, showFailures, showFigure, showMarkdown, showTable, transferFinding } from './lib/notebook/index';
    `),
    code(`
      const { records } = await runAndDescribe('runtimes');
      showFailures(records);
      const absent = absentRuntimes(records);
      if (absent.length > 0) showMarkdown(\`This run has no records from \${absent.map((rt) => RUNTIME_NAMES[rt]).join(', ')}.\`);
      const runtimes = presentRuntimes(records);
      const title = (rt: Runtime) => runtimeTitle(rt, records);
      const tt = (name: string) => \`\\\`\${name}\\\`\`;
    `),
    md(`
      ## Each method in each runtime

      Median total seconds, from the sender's first step until the receiver holds the decoded data;
      each runtime's column carries its version, and the ratio columns divide by Node.js (below 1:
      faster than Node.js). A cell without a time says why: \`limits\` (refused in advance),
      \`failed\` (at run time), \`not run\` (CPython has no \`Int32Array\` payload).
    `),
    code(`
      const table = runtimeTableRows(records).map((r) => ({
        method: r.method,
        payload: r.payload === 'int32' ? 'Int32Array' : r.payload,
        elements: formatSize(r.sizeElements),
        ...Object.fromEntries(runtimes.map((rt) => [\`\${title(rt)} (s)\`, r.seconds[rt].value ?? r.seconds[rt].status])),
        ...Object.fromEntries(runtimes.filter((rt) => rt !== 'node').map((rt) => [\`\${RUNTIME_NAMES[rt]} ÷ Node.js\`, r.ratio[rt]])),
      }));
      showTable(table, { caption: 'Median total time per runtime (s) and each runtime ÷ Node.js', digits: 3 });
    `),
    md(`Which runtime moves the article's plain list fastest, method by method?`),
    code(`
      /** A comparison in words; \`noun\` names what it is over (method, transport). */
      const said = (c: Comparison, noun: string): string => {
        if (!c.hasNode) return 'No Node.js records: no ratio to Node.js can be given.';
        const fastest =
          c.fastest === null
            ? 'Only Node.js has times here: no other runtime to compare.'
            : c.fastest === 'node'
              ? "Fastest by the geometric mean: Node.js (every ranked runtime's mean ratio is above 1)."
              : \`Fastest by the geometric mean: \${RUNTIME_NAMES[c.fastest]}, \${formatRatio(c.fastestRatio)} Node.js's time (\${formatRatio(1 / c.fastestRatio)} faster).\`;
        const unranked = c.others.filter((o) => o.count > 0 && !o.ranked).map((o) => \`\${RUNTIME_NAMES[o.runtime]} (\${o.count} of \${c.widest})\`);
        const each = c.others.map((o) =>
          o.meanRatio === null
            ? \`- \${title(o.runtime)}: no \${noun}s measured in both it and Node.js.\`
            : \`- \${title(o.runtime)} ÷ Node.js: \${formatRatio(o.meanRatio)} (geometric mean over \${plural(o.count, noun)}); furthest from Node.js on \${tt(o.furthest.category)}: \${formatRatio(o.furthest.ratio)}.\`,
        );
        const wins = c.wins.map((w) => \`\${RUNTIME_NAMES[w.runtime]} on \${w.categories.length} (\${w.categories.map(tt).join(', ')})\`);
        return [
          fastest + (unranked.length > 0 ? \` Not ranked, with fewer \${noun}s timed: \${unranked.join(', ')}.\` : ''),
          ...each,
          ...(wins.length > 0 ? [\`Fastest per \${noun}: \${wins.join('; ')}.\`] : []),
        ].join('\\n');
      };
      const transferSaid = (payload: 'list' | 'int32'): string => {
        const [name, f] = [{ list: 'list', int32: 'Int32Array' }[payload], transferFinding(records, payload)];
        if (f === null) return \`This run has no transfers of the \${name}.\`;
        const absent = f.absent.map((rt) => \`\\n\\n\${RUNTIME_NAMES[rt]}: no transfers of the \${name} in this run.\`).join('');
        return \`**The \${name} at \${formatSize(f.sizeElements)} elements**, median total time. \${said(f, 'method')}\${absent}\`;
      };
      await showFigure(methodsFigure(records, 'list'));
      showMarkdown(transferSaid('list'));
    `),
    md(`And when the numbers travel as an \`Int32Array\`, one block of bytes instead of a list?`),
    code(`
      await showFigure(methodsFigure(records, 'int32'));
      showMarkdown(transferSaid('int32'));
    `),
    md(`
      ## Many small messages

      How long does one round trip take (p50, whisker to p99), transport by transport?
    `),
    code(`
      const messages = messageFindings(records);
      for (const m of messages) await showFigure(roundTripFigure(records, m.messageBytes));
    `),
    md(`How many messages per second does a one-way stream carry?`),
    code(`
      for (const m of messages) await showFigure(messageRateFigure(records, m.messageBytes));
      if (messages.length === 0) showMarkdown('This run has no message patterns.');
      for (const m of messages) {
        showMarkdown(
          \`**\${formatBytes(m.messageBytes)} messages**, runtime ÷ Node.js. Round trip p50: \${said(m.roundTrip, 'transport')}\n\n\` +
            \`Stream, time per message (1 ÷ rate): \${said(m.stream, 'transport')}\`,
        );
      }
    `),
    md(`
      ## Memory

      How much memory does each peer hold at its peak while moving the largest list? Each peer
      reads its own peak resident set size (\`process.resourceUsage().maxRSS\`, the same call in the
      three JavaScript runtimes; \`resource.getrusage\` in CPython); in the JavaScript runtimes
      \`queue\` runs its two sides as worker threads of one process, which reports for both.
    `),
    code(`await showFigure(peakRssFigure(records));`),
    md(`
      ## What each runtime could not run, and why
    `),
    code(`
      const caveats = runtimeCaveats(records);
      const groups = caveats.flatMap((c) =>
        c.groups.map((g) => ({ runtime: title(c.runtime), ...g, transports: g.transports.join(', '), configurations: g.configurations.join(', ') })),
      );
      if (groups.length > 0) showTable(groups, { caption: 'Failed or refused configurations, by runtime and reason' });
      const ran = (c: (typeof caveats)[number]) =>
        c.groups.length === 0
          ? \`all \${c.runs} runs arrived intact\`
          : \`of \${c.runs} runs, \${c.refusedRuns} refused in advance and \${c.failedRuns} failed at run time (the table says why)\`;
      showMarkdown(caveats.map((c) => \`- \${title(c.runtime)}: \${ran(c)}.\`).join('\\n') || 'This run has no records.');
    `),
    md(`
      ## How each runtime runs the peers

      Every JavaScript runtime runs the same compiled peer (\`build/lib/measure/peer.js\`, on
      \`node:\` APIs), nothing rewritten per runtime; CPython runs the article's methods in
      \`lib/measure/cpython/\`. Every time is on CLOCK_MONOTONIC, which Bun's and Deno's peers read
      through the native addon (their \`process.hrtime\` counts from their own start), so times from
      different processes compare. The README's "Bun and Deno" says what else each runtime needs:
      its heap limit, how it reads inherited descriptors, how Deno relays a forked receiver.
    `),
  ],
};
