import { code, md, type NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '01-pipe-size-sweep',
  experiments: ['pipe-size-sweep'],
  cells: [
    md(`
      # How the size of the data changes the cost: the Pipe sweep

      The article's first experiment sends one list through a \`multiprocessing.Pipe\` once, at
      10, 10⁵, 10⁶, 10⁷ and 10⁸ elements, and prints how long the sender's \`send\` and the
      receiver's \`recv\` took. Its point: the cost grows with the size, and at 10⁸ it is seconds.

      Here the same sweep runs in Node.js through \`pipe\` — an anonymous OS pipe between two
      processes, \`v8.serialize\` for pickle, one length-prefixed frame (see
      [03-pipe](03-pipe.ipynb)) — with the article's list and with an \`Int32Array\`. Where a transfer
      takes under a few seconds it runs three times after a warm-up, and the tables show medians;
      10⁸ runs once, as in the article.
    `),
    code(`
      import { articlePipeSweep, formatRatio, formatSeconds, formatSize, runAndDescribe, showFailures, showFigure, showMarkdown, showTable, sizeSweepFigure, sizeSweepRows, sweepGrowth } from './lib/notebook/index';
    `),
    code(`const result = await runAndDescribe('pipe-size-sweep');`),
    md(`
      ## Send and receive, as the article shows them

      The article's published seconds (Python 3.7, its machine) and this run's medians, per size.
      \`send\` includes serialising and \`recv\` includes decoding, as \`Connection.send\`/\`recv\` do;
      \`total\` runs from the sender's first step to the receiver holding the decoded list.
    `),
    code(`
      showTable(sizeSweepRows(result.records, articlePipeSweep()), { caption: 'Pipe: seconds per size (article: published figures; node: this run)' });
      showFailures(result.records);
    `),
    code(`await showFigure(sizeSweepFigure('Pipe: time against size, log–log', result.records, articlePipeSweep()));`),
    code(`
      const g = sweepGrowth(result.records);
      showMarkdown(
        \`At \${formatSize(g.sizeElements)} elements the list took \${formatSeconds(g.listSeconds)} in total and the Int32Array \${formatSeconds(g.int32Seconds)}\` +
          (g.growth === null ? '.' : \`; ten times fewer elements took \${formatSeconds(g.tenthListSeconds)}, so the cost grows \${formatRatio(g.growth)} for 10× the data.\`),
      );
    `),
    md(`
      ## Reading it

      - On a log–log plot a straight line of slope 1 means "time proportional to size". Below about
        10⁵ elements both the article's and our times flatten out: fixed costs (a system call, a
        wake-up of the receiver) outweigh the data.
      - From 10⁶ up the lines are nearly straight: every element is serialised, copied and decoded,
        so 10× the elements cost about 10× the time.
      - The Int32Array line sits below the list's: V8 writes a typed array as one block, while a plain
        array is written and, even more slowly, rebuilt element by element.
    `),
  ],
};
