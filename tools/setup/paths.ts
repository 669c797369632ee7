/**
 * Where the set-up puts the Python tools, and the environment every Jupyter command runs with.
 * Jupyter and ruff come from pip, pinned in requirements.txt, installed by setup.ts into the
 * project's own virtual environment `.venv/`; every Jupyter directory (config, data, kernel spec,
 * runtime) is inside the project too, so nothing is read from or written to the user's home.
 */
import * as path from 'node:path';

import { REPO_ROOT } from '../../lib/model/paths';

/** The project's virtual environment (gitignored), made with the `python3` first on PATH. */
export const VENV_DIR = path.join(REPO_ROOT, '.venv');
/** The pinned Python packages (JupyterLab, Notebook, nbconvert, nbclient, nbformat, plotly, ruff). */
export const REQUIREMENTS = path.join(__dirname, 'requirements.txt');
/** The hash of the requirements file the venv was last installed from (see venv.ts). */
export const VENV_STAMP = path.join(VENV_DIR, 'ipc-lab-requirements.sha256');
/** The venv's interpreter: it has nbformat, nbclient and jupyter_client. */
export const PYTHON = path.join(VENV_DIR, 'bin', 'python');
/** The venv's `jupyter` command (lab, notebook, nbconvert, …). */
export const JUPYTER = path.join(VENV_DIR, 'bin', 'jupyter');
/** The venv's ruff, the Python linter and formatter (pinned in requirements.txt; tools/lint/ runs it). */
export const RUFF = path.join(VENV_DIR, 'bin', 'ruff');

/** The project-local Jupyter prefix (gitignored): the tslab kernelspec lives here, not in $HOME. */
export const JUPYTER_PREFIX = path.join(REPO_ROOT, '.jupyter-local');
export const JUPYTER_DATA_DIR = path.join(JUPYTER_PREFIX, 'share', 'jupyter');
/** Jupyter's config dir, also where JupyterLab keeps its user settings and workspaces. */
export const JUPYTER_CONFIG_DIR = path.join(JUPYTER_PREFIX, 'config');
/** Connection files, server info and cookie secrets of running servers and kernels. */
export const JUPYTER_RUNTIME_DIR = path.join(JUPYTER_PREFIX, 'runtime');
/** IPython's profile dir (nbconvert imports IPython; kept out of ~/.ipython). */
export const IPYTHON_DIR = path.join(JUPYTER_PREFIX, 'ipython');
export const TSLAB_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'tslab');

/** The environment for jupyter commands: the project's venv, kernelspec and dirs, nothing else changed. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = process.env.JUPYTER_PATH ? [process.env.JUPYTER_PATH] : [];
  return {
    ...process.env,
    // Subprocesses that look for `python` or `jupyter-*` on PATH find the venv's first.
    PATH: [path.join(VENV_DIR, 'bin'), process.env.PATH ?? ''].join(path.delimiter),
    VIRTUAL_ENV: VENV_DIR,
    JUPYTER_CONFIG_DIR,
    JUPYTER_DATA_DIR,
    JUPYTER_RUNTIME_DIR,
    JUPYTER_PATH: [JUPYTER_DATA_DIR, ...inherited].join(path.delimiter),
    IPYTHONDIR: IPYTHON_DIR,
    // Every dir is set explicitly; this only silences jupyter_core's notice about moving defaults.
    JUPYTER_PLATFORM_DIRS: '1',
    PYTHONWARNINGS: process.env.PYTHONWARNINGS ?? 'ignore',
    ...extra,
  };
}
