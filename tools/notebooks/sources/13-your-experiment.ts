/** notebooks/13-your-experiment.ipynb: the reader's own experiment, in two cells. */
import { code, md, type NotebookSource } from '../make-notebook';

export const notebook: NotebookSource = {
  name: '13-your-experiment',
  cells: [
    md(`
      # Your own experiment

      Say what to run in the first cell — which runtimes (\`node\`, \`cpython\`), transports,
      payloads (\`list\`, \`int32\`), sizes and codecs — and run the next two. The transfers take
      turns (every configuration once, then again), each is verified element by element, and the
      records are saved under \`data/results/mine-<run id>/\`, ready for
      [14-runs](14-runs.ipynb) or \`npm run compare\`. The transports and what each one does are
      listed in [00-index](00-index.ipynb); \`NODE_TRANSPORTS\` and \`CPYTHON_TRANSPORTS\` list them
      here too.
    `),
    code(`
      import { machineLine, plural, runExperiment, showExperiment, showMarkdown, type YourExperiment } from './lib/notebook/index';

      const experiment: YourExperiment = {
        transports: ['pipe', 'unix', 'raw-array'],
        payloads: ['int32'], // the plain list is 'list'; raw bytes carry typed arrays only
        sizes: [2e4, 2e5, 2e6], // sizes no other notebook measures: the main job measures each configuration once
        codecs: ['analog', 'raw'], // each transport's analog of pickle, and raw bytes where it carries bytes
        repeats: 3,
        name: 'example', // results in data/results/example-<run id>/
      };
    `),
    code(`
      const result = await runExperiment(experiment);
      const d = result.description;
      showMarkdown(
        \`Measured by this notebook run: experiment \\\`\${result.name}\\\` (your own), \${plural(result.records.length, 'transfer')}, run \${d.runId} on \${d.date.slice(0, 10)} — \` +
          \`\${machineLine(d)}; saved in \\\`\${result.path}\\\` (compare it with another run: \\\`npm run compare -- A B\\\`).\`,
      );
    `),
    code(`await showExperiment(result);`),
    md(`
      Everything \`runExperiment\` takes: \`transports\` (ids, or \`'all'\`), \`sizes\` (elements),
      \`runtimes\` (default \`['node']\`), \`payloads\` (default both), \`codecs\` (\`'analog'\`,
      \`'all'\`, or a list such as \`['analog', 'raw', 'msgpackr']\`), \`repeats\` (default 3),
      \`warmups\` (default 1), \`order\` (\`'interleaved'\`, the default, or \`'grouped'\`) and \`name\`
      (the results folder's prefix). A value that is not valid stops at once with one line saying
      which and what would be.
    `),
  ],
};
