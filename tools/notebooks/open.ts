/**
 * Opens classic Jupyter Notebook (Debian's) with the project's tslab kernel, for exploring:
 *
 *   npm run jupyter [-- extra jupyter-notebook options, e.g. --no-browser --port 8890]
 *
 * The server's root is the repository, so the figures' script finds the shared plotly.min.js
 * through /files/ (notebooks/html/ or node_modules/), and it opens on notebooks/.
 */
import { spawn } from 'node:child_process';
import { JUPYTER, jupyterEnv, REPO_ROOT } from './paths';

// Jupyter refuses to start as root unless told so (containers and CI machines often are root).
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--allow-root'] : [];
const child = spawn(
  JUPYTER,
  ['notebook', `--notebook-dir=${REPO_ROOT}`, '--NotebookApp.default_url=/tree/notebooks', ...asRoot, ...process.argv.slice(2)],
  { stdio: 'inherit', env: jupyterEnv() },
);
// Ctrl-C reaches the server through the terminal's process group; wait for it to finish.
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (error) => {
  console.error(`jupyter: ${error.message} (run npm run jupyter, which installs it first)`);
  process.exit(1);
});
