/** notebooks/15-messages.ipynb: round-trip latency and message rate of every transport, with the C floor, bare Node, CPython and ipc-bench beside them. */
import { code, md, type NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '15-messages',
  experiments: ['messages'],
  cells: [
    md(`
      # Many messages: round-trip latency and message rate

      The article sends one huge list once. Most inter-process traffic in real Node.js programs is
      the other kind: a worker answering thousands of small requests, a parent and a child
      exchanging commands, a stream of records. This notebook measures that, two ways:

      - **round trip** (ping-pong): the client sends a message, the server answers with one of the
        same size; each round trip is timed, and Node's HDR histogram gives its p50, p99 and the rest;
      - **stream**: the sender sends messages back to back as fast as the channel takes them
        (honouring backpressure), the receiver checks each and acknowledges the last; the rate is
        messages from the first send to the last message held.

      Sizes go from 8 B to 1 MiB; every message carries its sequence number and known content, and
      the peer that receives it checks both. Warm-up messages come first and are not timed. In the
      same rounds, two **limits** run alone over the same kinds of channel: a small C program (the
      machine's floor) and a minimal Node loop on the bare API (what Node itself costs, apart from
      ipc-lab). CPython's \`multiprocessing\` Pipe, Queue and Manager do the same ping-pong and stream.
      The rounds interleave everything (each series and each limit once per round), so a transport
      and its limits are compared from the same minutes.
    `),
    code(`
      import { batchingFindings, codecTableRows, cpuFigure, cpuFindings, fastestFindings, formatBytes, formatCount, formatRate, formatRatio, formatSeconds, IPC_BENCH_OUR_BYTES, ipcBenchComparison, ipcBenchRates, ipcBenchTableRows, jsonFindings, MESSAGE_GROUPS, messageChecks, messageFigure, messageTableRows, notebookProgress, obtainMessages, P50_TARGET, plural, preferFromEnv, provenance, RATE_TARGET, RING_WAITING, shortCommit, showFigure, showMarkdown, showTable, smallSize, targetRows, targetTableRows, targetVerdicts, WAKEUP_BOUND, wakeupFinding } from './lib/notebook/index';
      const listed = (items: string[], none = 'none in this run') => (items.length > 0 ? items.join('; ') : none);
    `),
    code(`
      const run = await obtainMessages('messages', { prefer: preferFromEnv(), progress: notebookProgress() });
      showMarkdown(\`\${provenance(run)} In the same rounds: \${plural(run.limits.length, 'run')} of the limits (the C program and bare Node).\`);
      const checks = messageChecks(run);
      showMarkdown(
        checks.failedRuns === 0
          ? \`All \${plural(checks.transfers, 'transfer')} and \${plural(checks.limitRuns, 'limit run')} ended ok: every message was checked (its sequence number and content) by the peer that received it.\`
          : \`Of \${checks.transfers + checks.limitRuns} runs, \${checks.refusedRuns} were refused in advance (they cannot work) and \${checks.failedRuns - checks.refusedRuns || 'none'} failed at run time; the table below says why. Every other message was checked by the peer that received it.\`,
      );
      const failures = checks.failures.map((f) => ({ ...f, messageBytes: formatBytes(f.messageBytes) }));
      if (failures.length > 0) showTable(failures, { caption: 'Runs that failed or were refused, and why (each once, with its number of runs)', labels: { messageBytes: 'size', error: 'why' } });
    `),
    md(`
      ## Round trip

      One figure per family of transports: each line is a series' median p50 round trip over the
      rounds, its whisker reaching up to its p99. Node.js transports are in their usual colours,
      CPython's in blue (dash-dot, ×), the C floor in black (dashed) and bare Node in grey (dotted),
      each limit over the channel its transports use. At one size the series are spread a little
      sideways so that their whiskers stay apart; hovering shows the true size.
    `),
    code(`
      for (const group of MESSAGE_GROUPS) await showFigure(messageFigure(run, group.id, 'roundtrip'));
    `),
    md(`
      ## Stream rate

      Messages per second of the one-way stream against message size, with the same company. The
      same numbers in MB/s, and everything else this run measured, are in the table below.
    `),
    code(`
      for (const group of MESSAGE_GROUPS) await showFigure(messageFigure(run, group.id, 'rate'));
    `),
    code(`
      showTable(messageTableRows(run), { caption: 'Every series at every size: medians over the rounds (round trips/s = 1 ÷ the mean round trip)', digits: 3 });
    `),
    md(`
      ## Against bare Node: the targets

      Each transport's p50 round trip and stream rate divided by the minimal Node loop's over the
      same channel, sending the same way, at every size. The byte streams run twice, and so does
      bare Node over each of them: with v8, their analog (bare Node \`v8.serialize\`s each message
      behind a 4-byte length: pipe → pipe-v8, unix → unix-v8, tcp → tcp-v8), and with \`raw\` bytes
      (bare Node writes the Buffer as it is: pipe/raw → pipe, and so on); queue and transfer → a
      MessageChannel between workers, ipc and ipc-json → fork IPC with the same serialization. So a
      ratio is what ipc-lab adds, not what the serializer costs (that is the v8 loop against the raw
      one). The verdict columns' headers and the sentence under the table give the targets. The
      manager is shown against bare Node's v8 over a Unix socket but has no target (a broker: two
      hops per message); the process ring is held against the C program's shared memory only, and
      the thread ring has no minimal loop to compare with.
    `),
    code(`
      const targets = targetRows(run);
      showTable(targetTableRows(targets), { caption: 'Each transport ÷ bare Node over the same channel, and ÷ the C floor', digits: 3 });
      const verdicts = targetVerdicts(targets);
      const missed = (v: typeof verdicts.p50, ratio: (r: (typeof targets)[number]) => number | null) =>
        v.missed.length === 0 ? '' : \` — missed by \${v.missed.map((r) => \`\${r.transport} at \${formatBytes(r.messageBytes)} (\${formatRatio(ratio(r))})\`).join(', ')}\`;
      showMarkdown(
        \`Targets against bare Node over the same channel, in this run: p50 round trip ≤ \${P50_TARGET}× met in \${verdicts.p50.met} of \${verdicts.p50.judged} \` +
          \`transport × size cells\${missed(verdicts.p50, (r) => r.p50Ratio)}; rate ≥ \${RATE_TARGET}× met in \${verdicts.rate.met} of \${verdicts.rate.judged}\` +
          \`\${missed(verdicts.rate, (r) => r.rateRatio)}. The manager and the rings have no target (see the notes).\`,
      );
      const wake = wakeupFinding(run);
      const facts = wake && \`The C program's round trip over \${wake.channel} at \${formatBytes(wake.messageBytes)} has a p50 of \${formatSeconds(wake.p50Seconds)}, while its stream moves one such message every \${formatSeconds(wake.secondsPerMessage)}: the round trip is \${formatRatio(wake.ratio)} two streamed messages.\`;
      if (wake === null) showMarkdown('This run has no C round trip and stream over one channel at one size to compare.');
      else if (!wake.wakeupBound) showMarkdown(\`\${facts} Blocking costs little on this machine in this run (under \${WAKEUP_BOUND}×): most of a round trip is moving the bytes.\`);
      else
        showMarkdown(
          \`**A caveat for every blocking round trip here.** \${facts} Nearly all of a blocking round trip is waking the other side: a process asleep in the kernel — on a virtual machine, its idle virtual CPU — takes tens of µs to wake, \` +
            'twice per round trip, whatever the channel. So blocking transports sit on that floor here (it can drop to a few µs when the CPUs stay busy, and differ from run to run); the spinning process \`ring\` skips it at the CPU cost shown in the next section.',
        );
    `),
    md(`
      ## CPU per message

      Each peer's user + system CPU time per message (a worker thread's own time for the thread
      transports), at one size, beside the stream's wall time per message: a peer whose CPU per
      message is close to the wall time was busy all along.
    `),
    code(`
      await showFigure(cpuFigure(run));
      const cpu = cpuFindings(run);
      const wait = RING_WAITING;
      showMarkdown(
        \`Streaming \${formatBytes(cpu.messageBytes)} messages: \${listed(cpu.stream.map((s) => \`\\\`\${s.transport}\\\` receiver \${formatSeconds(s.receiverCpuSeconds)} CPU per message over \${formatSeconds(s.wallSeconds)} wall (CPU ÷ wall \${formatRatio(s.cpuShare)})\`))}. \` +
          \`CPU of client + server per round trip: \${listed(cpu.roundTrip.map((t) => \`\\\`\${t.transport}\\\` \${formatSeconds(t.clientCpuSeconds)} + \${formatSeconds(t.serverCpuSeconds)} (p50 \${formatSeconds(t.p50Seconds)})\`))}. \` +
          \`Atomics.wait cannot wake another process, so the process \\\`ring\\\`'s waiting peer polls the shared mapping: it spins on Atomics.load for \${formatSeconds(wait.processSpinSeconds)}, \` +
          \`then yields to its event loop until \${formatSeconds(wait.processYieldSeconds)}, then checks every \${formatSeconds(wait.processSleepSeconds)} — fast while messages keep coming, a core burnt meanwhile, and a slow tail once it sleeps. \` +
          \`\\\`ring-thread\\\` spins \${formatSeconds(wait.threadSpinSeconds)}, then sleeps in Atomics.wait until notified; the others block in the kernel or the event loop.\`,
      );
    `),
    md(`
      ## JSON or v8 for small objects

      The same small JSON-like records (a sequence number, a short list, padding to the size)
      through the pipe with each codec, through fork IPC with \`'advanced'\` (v8) and \`'json'\`
      serialization, and through a MessagePort (structured clone).
    `),
    code(`
      showTable(codecTableRows(run), { caption: 'Small objects: each channel and codec (medians)', digits: 3 });
      const json = jsonFindings(run);
      const where = (f: (typeof json)[number]) => \`\${f.channel} at \${formatBytes(f.messageBytes)}\`;
      const jsonLine = (f: (typeof json)[number]) =>
        \`- \${where(f)}: JSON \${formatRate(f.json.perSecond, 'messages')} against v8's \${formatCount(f.v8.perSecond)} (\${formatRatio(f.rateRatio)}), p50 round trip \${formatSeconds(f.json.p50Seconds)} against \${formatSeconds(f.v8.p50Seconds)} (\${formatRatio(f.p50Ratio)}).\`;
      showMarkdown(
        json.length === 0
          ? 'This run has no pair of JSON and v8 runs on the same objects.'
          : \`JSON against v8 for the same small objects (stream rate, then round trip; above 1× JSON streams faster, below 1× its round trip is quicker):\\n\\n\${json.map(jsonLine).join('\\n')}\\n\\n\` +
              \`JSON streams faster at \${listed(json.filter((f) => f.jsonStreamsFaster).map(where), 'no size')}; v8 at \${listed(json.filter((f) => !f.jsonStreamsFaster).map(where), 'no size')}.\`,
      );
    `),
    md(`
      ## Beside ipc-bench

      [ipc-bench](https://github.com/goldsborough/ipc-bench), the best-known IPC benchmark, publishes
      ping-pong rates per mechanism in its README; they are kept in \`data/ipc-bench/\` as cited data.
      Here they sit beside this run's round trips per second over the same kinds of channel.
    `),
    code(`
      const rates = ipcBenchRates();
      const bench = ipcBenchComparison(run, rates);
      showTable(ipcBenchTableRows(bench, rates), { caption: 'Round trips per second: ipc-bench (published, its machine) and this run', digits: 3 });
      const [ours, theirs] = [IPC_BENCH_OUR_BYTES.map(formatBytes), rates.messageBytes.map(formatBytes)];
      const cOver = (i: number) => bench.filter((r) => r.cOverPublished[i] !== null).map((r) => \`\${r.channel} \${formatRatio(r.cOverPublished[i])}\`);
      showMarkdown(
        \`ipc-bench's rates are its README's (commit \${shortCommit(rates.source.commit)}), measured on \${rates.source.machine} — another machine; its "\${rates.source.unit}" \` +
          \`counts round trips (a message and its answer), as our round trips per second (1 ÷ the mean round trip) do, and its sizes are \${theirs.join(' and ')} where ours are \${ours.join(' and ')}. \` +
          \`Our C program ÷ ipc-bench over the same kind of channel: at our \${ours[0]} against their \${theirs[0]} \${listed(cOver(0))}; at \${ours[1]} against their \${theirs[1]} \${listed(cOver(1))}.\`,
      );
    `),
    md(`
      ## What this run shows
    `),
    code(`
      const said = (p: ReturnType<typeof fastestFindings>[number]['node'], pattern: string) =>
        p === null ? 'none' : pattern === 'roundtrip' ? \`\\\`\${p.name}\\\` (p50 \${formatSeconds(p.roundTripP50Seconds)}, p99 \${formatSeconds(p.roundTripP99Seconds)})\` : \`\\\`\${p.name}\\\` (\${formatRate(p.messagesPerSecond, 'messages')})\`;
      const fastestLine = (f: ReturnType<typeof fastestFindings>[number]) =>
        \`- \${{ roundtrip: 'Round trip', rate: 'Stream rate' }[f.pattern]}: fastest Node transport \${said(f.node, f.pattern)}\${f.betweenProcesses ? \`; between processes \${said(f.betweenProcesses, f.pattern)}\` : ''}. \` +
        \`Beside it: CPython's best \${said(f.cpython, f.pattern)}, bare Node's best \${said(f.bareNode, f.pattern)}, the C floor's best \${said(f.c, f.pattern)}.\`;
      showMarkdown(\`For \${formatBytes(smallSize(run))} messages in this run:\\n\\n\${fastestFindings(run).map(fastestLine).join('\\n')}\`);
      const batching = batchingFindings(run);
      const small = formatBytes(batching.messageBytes);
      showMarkdown(
        batching.transports.length === 0
          ? \`This run streamed no larger message beside \${small}: it cannot say whether batching pays.\`
          : \`Batching \${small} messages (the larger message's stream rate × the \${small} messages it holds, against sending them one by one): \` +
              batching.transports.map((t) => \`\\\`\${t.transport}\\\` \${formatRate(t.perSecond)} one by one, \${t.gains.map((g) => \`\${formatRatio(g.gain)} in \${formatBytes(g.batchBytes)} batches\`).join(', ')}\`).join('; ') +
              '. Above 1×, batching pays; the per-message cost, not the bytes, limits small messages.',
      );
    `),
    md(`
      Why it comes out this way: a small message costs a fixed amount of work however few its
      bytes — a system call or two on each side, a wake-up of the other peer, the event loop's turn,
      the framing and the (de)serializer. Where the rate figures stay flat across the small sizes, that
      fixed cost is what limits them, and packing many small messages into one larger message
      multiplies what arrives per second (the batching sentence above puts a number on it). Worker
      threads skip the kernel between them; the C program shows how much of every channel's time is
      the operating system's, and bare Node how much of the rest is Node's rather than ipc-lab's.
      [11-three-ways](11-three-ways.ipynb) compares Node.js and CPython for the one large list.
    `),
  ],
};
