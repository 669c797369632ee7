/**
 * Opens JupyterLab 4 (or Notebook 7) from the project's venv on notebooks/, with the project's
 * tslab kernel, for exploring:
 *
 *   npm run jupyter                       JupyterLab
 *   npm run jupyter -- --notebook         Notebook 7 (one notebook per tab, the classic look)
 *   npm run jupyter -- --no-browser --port 8890    any other option goes to Jupyter as is
 *
 * The server serves the repository, opens on notebooks/, listens on localhost only (Jupyter's
 * default) and asks for its token.
 */
import { spawn } from 'node:child_process';
import { isRoot } from '../setup/base';
import { JUPYTER, jupyterEnv, REPO_ROOT } from './paths';

/**
 * The `jupyter` arguments for `npm run jupyter [-- args]`: `--notebook` picks Notebook 7, the rest
 * pass through. `rootDir` is what the server serves (the repository; a temp dir in the tests).
 */
export function jupyterArgs(argv: string[], options: { asRoot: boolean; rootDir?: string }): string[] {
  const notebook = argv.includes('--notebook');
  const rest = argv.filter((arg) => arg !== '--notebook');
  const app = notebook
    ? ['notebook', '--JupyterNotebookApp.default_url=/tree/notebooks']
    : ['lab', '--LabApp.default_url=/lab/tree/notebooks'];
  return [
    ...app,
    `--ServerApp.root_dir=${options.rootDir ?? REPO_ROOT}`,
    // jupyter_lsp looks for language servers (none is installed) by running `npm prefix -g`, and
    // npm creates ~/.npm for that: without the search, the server writes nothing in the home.
    '--LanguageServerManager.autodetect=False',
    // Jupyter refuses to start as root unless told so (containers and CI machines often are root).
    ...(options.asRoot ? ['--allow-root'] : []),
    ...rest,
  ];
}

if (require.main === module) {
  const child = spawn(JUPYTER, jupyterArgs(process.argv.slice(2), { asRoot: isRoot() }), { stdio: 'inherit', env: jupyterEnv() });
  // Ctrl-C reaches the server through the terminal's process group; wait for it to finish.
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(`jupyter: ${error.message} (run npm run jupyter, which makes the venv first)`);
    process.exit(1);
  });
}
