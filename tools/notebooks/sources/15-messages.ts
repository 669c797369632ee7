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
      import { batchingSentence, codecRows, cpuFigure, fastestSentence, ipcBenchRows, ipcBenchSentence, jsonSentence, latencyFigure, MESSAGE_GROUPS, messageCheckSentence, messageFailureRows, messageTableRows, pollingSentence, rateFigure, rowsToFrame, runMessagesAndDescribe, showFigure, showMarkdown, showTable, smallSize, targetRows, targetSentence, targetTableRows, wakeupSentence } from './lib/notebook/index';
    `),
    code(`
      const run = await runMessagesAndDescribe('messages');
      showMarkdown(messageCheckSentence(run));
      const failures = messageFailureRows(run);
      if (failures.length > 0) showTable(rowsToFrame(failures), { caption: 'Runs that failed or were refused, and why' });
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
      for (const group of MESSAGE_GROUPS) await showFigure(latencyFigure(run, group.id));
    `),
    md(`
      ## Stream rate

      Messages per second of the one-way stream against message size, with the same company. The
      same numbers in MB/s, and everything else this run measured, are in the table below.
    `),
    code(`
      for (const group of MESSAGE_GROUPS) await showFigure(rateFigure(run, group.id));
    `),
    code(`
      showTable(rowsToFrame(messageTableRows(run)), { caption: 'Every series at every size: medians over the rounds (round trips/s = 1 ÷ the mean round trip)', digits: 3 });
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
      one). The targets are p50 ≤ 1.5× and rate ≥ 0.67× of bare Node. The manager is shown against
      bare Node's v8 over a Unix socket but has no target (a broker: two hops per message); the
      process ring is held against the C program's shared memory only, and the thread ring has no
      minimal loop to compare with.
    `),
    code(`
      const targets = targetRows(run);
      showTable(rowsToFrame(targetTableRows(targets)), { caption: 'Each transport ÷ bare Node over the same channel, and ÷ the C floor', digits: 3 });
      showMarkdown(targetSentence(targets));
      showMarkdown(wakeupSentence(run));
    `),
    md(`
      ## CPU per message

      Each peer's user + system CPU time per message (a worker thread's own time for the thread
      transports), at one size, beside the stream's wall time per message: a peer whose CPU per
      message is close to the wall time was busy all along.
    `),
    code(`
      await showFigure(cpuFigure(run));
      showMarkdown(pollingSentence(run));
    `),
    md(`
      ## JSON or v8 for small objects

      The same small JSON-like records (a sequence number, a short list, padding to the size)
      through the pipe with each codec, through fork IPC with \`'advanced'\` (v8) and \`'json'\`
      serialization, and through a MessagePort (structured clone).
    `),
    code(`
      showTable(rowsToFrame(codecRows(run)), { caption: 'Small objects: each channel and codec (medians)', digits: 3 });
      showMarkdown(jsonSentence(run));
    `),
    md(`
      ## Beside ipc-bench

      [ipc-bench](https://github.com/goldsborough/ipc-bench), the best-known IPC benchmark, publishes
      ping-pong rates per mechanism in its README; they are kept in \`data/ipc-bench/\` as cited data.
      Here they sit beside this run's round trips per second over the same kinds of channel.
    `),
    code(`
      showTable(rowsToFrame(ipcBenchRows(run)), { caption: 'Round trips per second: ipc-bench (published, its machine) and this run', digits: 3 });
      showMarkdown(ipcBenchSentence(run));
    `),
    md(`
      ## What this run shows
    `),
    code(`
      showMarkdown(fastestSentence(run, smallSize(run)));
      showMarkdown(batchingSentence(run));
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
