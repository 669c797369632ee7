/** notebooks/17-zero-copy.ipynb: hand-overs against copies, per runtime and across languages, and Arrow against raw bytes. */
import { code, md, type NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '17-zero-copy',
  experiments: ['zero-copy'],
  cells: [
    md(`
      # Zero copies, and across languages

      The article's answer for big data is RawArray: one bulk copy into shared memory. But a copy
      of 400 MB costs what copying 400 MB costs. Since Python 3.8 the modern answer is to **build
      the array in shared memory and hand it over**: the receiver maps the same pages and copies
      nothing. Linux lets every runtime do that, and so does ipc-lab:

      - \`handoff\`: the sender builds its \`Int32Array\` straight into a \`memfd\` it maps, seals it
        (\`F_SEAL_FUTURE_WRITE\`, \`SHRINK\`, \`GROW\`, \`SEAL\`: nobody can write it again through a
        descriptor or a new mapping) and passes the descriptor over a Unix socket (\`SCM_RIGHTS\`,
        through the project's N-API addon); the receiver maps it read-only.
      - \`handoff-name\`: the same pages under a name in \`/dev/shm\` — what CPython's
        \`SharedMemory(name)\` opens — made read-only (mode 0400) at the hand-over.
      - CPython's own \`shared-memory\` method (\`multiprocessing.shared_memory\`) beside its RawArray.

      Against them, the copies: \`raw-array\` (the article's RawArray) and a Unix socket or a pipe
      carrying raw int32 bytes, Apache Arrow's IPC stream, or \`v8.serialize\`. And across languages:
      a Node.js sender with a CPython receiver and back (\`node:cpython\`, \`cpython:node\`), the
      CPython side holding a numpy view — Bun and Deno too. Every element is checked at the receiver.

      A hand-over does not make the pages free: whoever reads them first takes the page-table
      faults. Each record says how many copies of the payload were made and who first touched the
      pages the receiver holds; the receiver's verify pass — its first read of every element — is
      timed apart, so the cost that moved is shown, not hidden.
    `),
    code(`
      import { formatRatio, formatSeconds, formatSize, runAndDescribe, showFailures, showFigure, showMarkdown, showTable, ZERO_COPY_KEY_SERIES, zeroCopyFindings, zeroCopyPhaseFigure, zeroCopyPhaseRows, zeroCopySizeFigure } from './lib/notebook/index';
    `),
    code(`
      const { records } = await runAndDescribe('zero-copy');
      showFailures(records);
      const found = zeroCopyFindings(records);
      const big = found.largestElements;
    `),
    md(`
      ## Copy against hand-over, size by size

      Total time from the sender's first step of the transfer (the payload already built) until
      the receiver holds the data, in Node.js. A copy grows with the size; a hand-over should not.
    `),
    code(`
      await showFigure(zeroCopySizeFigure(records, 'Node.js: copies and hand-overs against size', (r) => r.runtime === 'node' && r.receiverRuntime === 'node'));
    `),
    md(`The same across languages: a Node.js sender with a CPython receiver, and the reverse.`),
    code(`
      await showFigure(zeroCopySizeFigure(records, 'Across languages: Node.js ⇄ CPython', (r) => r.runtime !== r.receiverRuntime && (r.runtime === 'node' || r.receiverRuntime === 'node')));
    `),
    md(`And CPython's own methods: RawArray (a copy in, a copy out) against \`SharedMemory\` (a view).`),
    code(`
      await showFigure(zeroCopySizeFigure(records, 'CPython: RawArray against SharedMemory', (r) => r.runtime === 'cpython' && r.receiverRuntime === 'cpython'));
    `),
    md(`
      ## Where the time goes at the largest size

      Per configuration: the medians of the transfer's phases, the receiver's first read (verify),
      the copies of the payload made between what the sender built and what the receiver holds,
      and who first touched the receiver's pages. \`build\` happens before the clock starts (for a
      hand-over it includes the sender's own first touch of the shared pages).
    `),
    code(`
      const phases = zeroCopyPhaseRows(records, big);
      showTable(phases, { caption: \`Medians at \${formatSize(big)} elements (s), copies and first touch\`, digits: 4 });
      const keyPhases = phases.filter((r) => ZERO_COPY_KEY_SERIES.includes(r.series));
      await showFigure(zeroCopyPhaseFigure(keyPhases, \`Total and verify at \${formatSize(big)} elements\`));
    `),
    md(`
      ## Bun and Deno

      The same compiled peers, the same addon, in the other JavaScript runtimes and paired with CPython.
    `),
    code(`
      await showFigure(zeroCopySizeFigure(records, 'Bun and Deno: copies and hand-overs against size', (r) => r.runtime === r.receiverRuntime && (r.runtime === 'bun' || r.runtime === 'deno')));
      await showFigure(zeroCopySizeFigure(records, 'Bun and Deno with CPython', (r) => r.runtime !== r.receiverRuntime && [r.runtime, r.receiverRuntime].some((x) => x === 'bun' || x === 'deno')));
    `),
    md(`
      ## The targets, measured in this run

      Each ratio divides two medians of the same interleaved rounds; the goal is what the issue
      asked of it: the hand-over far faster than RawArray at the largest size and of the same cost
      at the smallest, a pair across languages close to Node.js to Node.js on the same channel, and
      Arrow's encode + decode close to raw bytes'.
    `),
    code(`
      const { rawArrayOverHandoff: vsRawArray, handoffGrowth: growth, pairs, arrowCodec, arrowTotal } = found;
      const targets = [vsRawArray, growth, ...pairs.flatMap((p) => [p.handoff, p.socket]), arrowCodec, arrowTotal].map((t) => ({
        target: t.what,
        'numerator (s)': t.numeratorSeconds,
        'denominator (s)': t.denominatorSeconds,
        ratio: t.ratio,
        goal: \`\${{ max: '≤', min: '≥' }[t.bound]} \${t.target}\`,
        met: t.met === null ? 'no data' : t.met ? 'yes' : 'no',
      }));
      showTable(targets, { caption: \`Targets at \${formatSize(big)} elements: ratios of medians from this run\`, digits: 3 });
    `),
    md(`## What it shows`),
    code(`
      showMarkdown(
        \`At \${formatSize(big)} int32 elements RawArray took \${formatSeconds(vsRawArray.numeratorSeconds)} and the hand-over, which copies nothing, \` +
          \`\${formatSeconds(vsRawArray.denominatorSeconds)} (RawArray ÷ hand-over \${formatRatio(vsRawArray.ratio)}); at \${formatSize(found.smallestElements)} \` +
          \`elements the hand-over took \${formatSeconds(growth.denominatorSeconds)} (largest ÷ smallest \${formatRatio(growth.ratio)}). \` +
          \`The pages' cost moved to the receiver's first read: see the verify column. Across languages, against Node.js to Node.js: \` +
          pairs.map((p) => \`\${p.pair} \${formatRatio(p.handoff.ratio)} by hand-over and \${formatRatio(p.socket.ratio)} by raw Unix socket\`).join('; ') +
          \`. Arrow's encode + decode took \${formatSeconds(arrowCodec.numeratorSeconds)} against raw bytes' \${formatSeconds(arrowCodec.denominatorSeconds)} \` +
          \`(\${formatRatio(arrowCodec.ratio)}); the whole transfer over a Unix socket \${formatRatio(arrowTotal.ratio)} raw's.\`,
      );
    `),
    md(`
      ## How it works, and what to choose

      The descriptor (\`handoff\`) is the default: a sealed \`memfd\` has no name to leak, and its
      pages are gone when the last descriptor and mapping close, even if both peers are killed. A
      name in \`/dev/shm\` (\`handoff-name\`) outlives its processes unless someone unlinks it (here
      the runner always does), but another program — CPython's \`SharedMemory(name)\` — can open it
      without a Unix socket. The README's "Zero copies, and across languages" says why the seal is
      \`F_SEAL_FUTURE_WRITE\` and how the CPython peer attaches to the pages and owns their lifetime.
    `),
  ],
};
