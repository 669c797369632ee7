/** notebooks/14-runs.ipynb: every run under a folder side by side, and two of them compared with confidence intervals. */
import { code, md, type NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '14-runs',
  cells: [
    md(`
      # Runs side by side

      Every run is a folder holding \`records.json\` (and \`records.csv\`) with the description of the
      machine and code it ran on. Put runs from other machines, other Node.js versions or before and
      after a change under one folder — or point the cell below at \`data/results\`, where the
      notebooks and \`npm run sweep\` write theirs — and this notebook sets them side by side:
      every configuration's median total per run, then two runs compared configuration by
      configuration, with a 95 % confidence interval of their ratio and whether the difference is
      real (Welch's t-test on log times, as \`npm run compare -- RUN_A RUN_B\` does from a terminal).
    `),
    code(`
      import { comparisonTableRows, defaultPair, loadRuns, runDescriptions, runsFigure, runsSideBySide, showFigure, showMarkdown, showTable } from './lib/notebook/index';
    `),
    md(`
      ## The runs

      Change \`folder\` to a folder of your own runs; runs are found up to three levels down.
    `),
    code(`
      const folder = 'data/results';
      const { runs, skipped } = loadRuns(folder);
      showTable(runDescriptions(runs), { caption: \`\${runs.length} runs under \${folder}\` });
      if (skipped.length > 0) showTable(skipped, { caption: 'Folders that hold records.json but could not be read' });
    `),
    md(`
      ## Every configuration, every run

      Median total time in seconds of each configuration (runtime, transport with its codec when
      that is not the method's analog, payload, size), one column per run; empty where a run did
      not measure it. The figure keeps what every run measured, at the largest size they share.
    `),
    code(`showTable(runsSideBySide(runs, 2), { caption: 'Configurations measured by at least two runs: median total (s)', digits: 3 });`),
    code(`await showFigure(runsFigure(runs.filter((run) => run.name.startsWith('method-'))));`),
    md(`
      ## Two runs compared

      By default the two runs that share the most configurations measured at least twice each (the
      newer is B); name two others with \`runs.find((r) => r.name === '…')\`. B/A below 1: B was
      faster. A verdict says "not significant" when the interval holds 1 — this pair of runs cannot
      tell the two apart.
    `),
    code(`
      const pair = defaultPair(runs);
      if (pair) {
        const [a, b] = pair;
        showMarkdown(\`A = \\\`\${a.name}\\\`, B = \\\`\${b.name}\\\`\`);
        showTable(comparisonTableRows(a, b), { caption: 'B against A, per configuration both measured' });
      } else {
        showMarkdown('No two runs share a configuration measured at least twice in each.');
      }
    `),
  ],
};
