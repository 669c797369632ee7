/** notebooks/00-index.ipynb: what ipc-lab measures, its transports, how to rerun, the other notebooks. */
import { code, md, type NotebookSource } from '../make-notebook';
import { articleLogged, articleSend } from '../method-template';

export const notebook: NotebookSource = {
  name: '00-index',
  cells: [
    md(`
      # ipc-lab: how fast does Node.js move data between processes?

      ipc-lab hands one list of integers, \`0, 1, …, n − 1\`, from one process (or thread) to another
      and times each step: building it, encoding it, sending, receiving, decoding, and the whole trip.
      The list grows from 10 to 10⁸ elements. It repeats, for Node.js, the experiments of an article
      that did the same with Python 3.7's \`multiprocessing\`
      (*I measured various methods of interprocess communication in multiprocessing of python3*),
      and adds what Node.js has beyond the article's seven methods.

      These notebooks run on the TypeScript kernel [tslab](https://github.com/yunabe/tslab). Each one
      runs a real experiment through \`lib/\` and shows its table and figure; the kernel starts in the
      repository root, and every cell imports from one module, \`./lib/notebook\`.
    `),
    code(`
      import { articleFigure, machineLine, scaleFromEnv, showArticleTable, showFigure, showMarkdown, showTransports, thisMachine } from './lib/notebook/index';
    `),
    code(`
      showMarkdown(\`Executed at scale **\${scaleFromEnv()}** on \${machineLine(thisMachine())}. This page measures nothing itself; the numbers below are the article's.\`);
    `),
    md(`
      ## The transports, and the article's methods they stand for

      Each row is one way ipc-lab moves the list in Node.js. Where Python has a ready-made tool
      (a \`Queue\`, a \`Manager\`), Node.js has a building block that does the same job. The last
      column names the CPython reproduction of the article's method that runs on this machine for
      comparison.
    `),
    code(`showTransports();`),
    md(`
      ## What the article published

      One list of 10⁸ integers per method, sent once, on the author's machine (not described) with
      Python 3.7. These are the article's own figures, kept in \`data/article/\` as data; every
      notebook that compares with them says so.
    `),
    code(`showArticleTable();`),
    code(`await showFigure(articleFigure());`),
    md(`
      RawArray's send includes converting the list to a numpy array (${articleLogged('RawArray', 'encode')} of its ${articleSend('RawArray')}), and the
      socket's times include pickling and unpickling; the Queue's send returns before any data has
      moved, because a background thread writes it later. Only shared memory and RawArray receive
      faster than they send.

      ## Rerunning

      | what | command |
      |:---|:---|
      | execute every notebook at the article's sizes (up to 10⁸ elements; long) | \`npm run notebooks\` |
      | the same at a small scale, in seconds | \`IPC_LAB_SCALE=smoke npm run notebooks\` |
      | explore in JupyterLab, with the TypeScript kernel ready (Notebook 7: \`-- --notebook\`) | \`npm run jupyter\` |
      | compare two runs, with confidence intervals | \`npm run compare -- RUN_A RUN_B\` |
      | the serializer bench: each transport against its floor and a C program | \`npm run bench\` |
      | the article's Pipe size sweep, from the command line | \`npm run sweep -- --preset article-pipe\` |
      | every transport at 10⁸, from the command line | \`npm run sweep -- --preset article-methods\` |
      | all options of a sweep | \`npm run sweep -- --help\` |

      \`npm run notebooks\` installs what is missing first (JupyterLab, Notebook and nbconvert from pip
      into the project's own \`.venv/\`; Chromium from Debian when run as root, otherwise it prints
      the command), registers the kernel inside the project, runs each notebook headless, saves it
      in place and exports it to \`notebooks/html/\`. Sweeps from the command line write their
      records to \`data/results/\`.

      Figures are interactive in JupyterLab, Notebook 7 and the exported HTML pages (which share one
      \`plotly.min.js\` beside them, so they work offline); everywhere else, such as GitHub or
      nbviewer, they show as a static image.

      ## The notebooks

      | notebook | what it shows |
      |:---|:---|
      | [01-pipe-size-sweep](01-pipe-size-sweep.ipynb) | the article's Pipe sweep, 10 to 10⁸ elements, send and receive against size |
      | [02-queue](02-queue.ipynb) | Queue: structured clone between worker threads |
      | [03-pipe](03-pipe.ipynb) | Pipe: an OS pipe between processes, and the fork IPC channel |
      | [04-shared-array](04-shared-array.ipynb) | shared memory (Array): element by element under a lock |
      | [05-manager](05-manager.ipynb) | Manager: a broker process that owns the list |
      | [06-raw-array](06-raw-array.ipynb) | RawArray: one bulk copy into shared memory |
      | [07-file](07-file.ipynb) | File: through a file and a completion flag |
      | [08-socket](08-socket.ipynb) | socket: TCP on loopback and a Unix domain socket |
      | [09-summary](09-summary.ipynb) | the article's result summary, rebuilt from our records |
      | [10-beyond](10-beyond.ipynb) | every transport at every size, throughput, \`list\` against \`int32\` |
      | [11-three-ways](11-three-ways.ipynb) | three ways side by side: the article's published figures, CPython on this machine, Node.js on this machine |
      | [12-serializers](12-serializers.ipynb) | what the serializer costs: v8, JSON, raw bytes, msgpackr and a packed list on each channel, against the floor and a C program |
      | [13-your-experiment](13-your-experiment.ipynb) | your own experiment: say what to run in one cell, see its table and figures |
      | [14-runs](14-runs.ipynb) | every run under a folder side by side, and two runs compared with confidence intervals |
      | [15-messages](15-messages.ipynb) | many small messages: round-trip latency and message rate of every transport, with the C floor, bare Node, CPython and ipc-bench beside them |
      | [16-runtimes](16-runtimes.ipynb) | Node.js, Bun, Deno and CPython on the article's seven methods (list and Int32Array) and the message patterns, with what each runtime could not run and why |
      | [17-zero-copy](17-zero-copy.ipynb) | hand-overs (a sealed memfd, a named region, CPython's SharedMemory) against copies at every size, Node.js ⇄ CPython both ways, Bun and Deno, Arrow against raw bytes |
    `),
  ],
};
