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
      numbers as an \`Int32Array\`), at 10⁷ elements in two rounds and at 10⁸ once; then the message
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
      import { caveatSentences, messageLesson, messageRateFigure, messageSizesOf, methodsFigure, missingRuntimesSentence, peakRssFigure, roundTripFigure, rowsToFrame, runAndDescribe, runtimeCaveatRows, runtimeTableRows, showFailures, showFigure, showMarkdown, showTable, transferLesson } from './lib/notebook/index';
    `),
    code(`
      const run = await runAndDescribe('runtimes');
      const records = run.records;
      showFailures(records);
      const missing = missingRuntimesSentence(records);
      if (missing) showMarkdown(missing);
    `),
    md(`
      ## Each method in each runtime

      Median total seconds, from the sender's first step until the receiver holds the decoded data;
      each runtime's column carries its version, and the ratio columns divide by Node.js (below 1:
      faster than Node.js). A cell without a time says why: \`limits\` (refused in advance),
      \`failed\` (at run time), \`not run\` (CPython has no \`Int32Array\` payload).
    `),
    code(`
      showTable(rowsToFrame(runtimeTableRows(records)), { caption: 'Median total time per runtime (s) and each runtime ÷ Node.js', digits: 3 });
    `),
    md(`Which runtime moves the article's plain list fastest, method by method?`),
    code(`
      await showFigure(methodsFigure(records, 'list'));
      showMarkdown(transferLesson(records, 'list'));
    `),
    md(`And when the numbers travel as an \`Int32Array\`, one block of bytes instead of a list?`),
    code(`
      await showFigure(methodsFigure(records, 'int32'));
      showMarkdown(transferLesson(records, 'int32'));
    `),
    md(`
      ## Many small messages

      How long does one round trip take (p50, whisker to p99), transport by transport?
    `),
    code(`
      for (const bytes of messageSizesOf(records)) await showFigure(roundTripFigure(records, bytes));
    `),
    md(`How many messages per second does a one-way stream carry?`),
    code(`
      for (const bytes of messageSizesOf(records)) await showFigure(messageRateFigure(records, bytes));
      showMarkdown(messageLesson(records));
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
      const caveats = runtimeCaveatRows(records);
      if (caveats.length > 0) showTable(rowsToFrame(caveats), { caption: 'Failed or refused configurations, by runtime and reason' });
      showMarkdown(caveatSentences(records));
    `),
    md(`
      ## How each runtime runs the peers

      - **The same code.** Every JavaScript runtime runs the same compiled peer,
        \`build/lib/measure/peer.js\`, on \`node:\` APIs; nothing is rewritten per runtime.
      - **Node.js**: \`node --max-old-space-size=N FILE\`, the heap limit sized to the payload.
      - **Bun**: \`bun FILE\`. JavaScriptCore has no V8 heap limit, so there is no flag to give and its
        records leave \`heapLimitMb\` empty. Bun's \`net.Socket\` cannot wrap an inherited file
        descriptor, so its peers read inherited fds with \`Bun.file(fd).stream()\`.
      - **Deno**: \`deno run --allow-all --no-lock --v8-flags=--max-old-space-size=N FILE\`; the
        peers load as CommonJS through \`build/package.json\`. Deno cannot pass a file descriptor to a
        child, so it relays a forked receiver's control channel.
      - **CPython**: the article's methods in \`lib/measure/cpython/\`, with \`multiprocessing\`.
      - **The clock.** Every time is on CLOCK_MONOTONIC, shared by all processes. Bun's and Deno's
        \`process.hrtime\` count from their own start instead, so their peers add CLOCK_MONOTONIC's
        offset, read once through the project's native addon, and times from different processes
        stay comparable.
    `),
  ],
};
