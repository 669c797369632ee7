/**
 * Where the Jupyter tooling finds things, and the environment every Jupyter command runs with.
 * Jupyter comes from Debian's packages (/usr/bin): the `python3` first on PATH may be another
 * interpreter without Jupyter, so the absolute paths are used.
 */
import * as path from 'node:path';

import { CHROMIUM_PATH, PLOTLY_MIN_JS, REPO_ROOT } from '../../lib/model/paths';

export { CHROMIUM_PATH, PLOTLY_MIN_JS, REPO_ROOT };
export const NOTEBOOKS_DIR = path.join(REPO_ROOT, 'notebooks');
/** The exported HTML pages, and the one plotly.min.js they share. */
export const HTML_DIR = path.join(NOTEBOOKS_DIR, 'html');
/** The project-local Jupyter prefix (gitignored): the tslab kernelspec lives here, not in $HOME. */
export const JUPYTER_PREFIX = path.join(REPO_ROOT, '.jupyter-local');
export const JUPYTER_DATA_DIR = path.join(JUPYTER_PREFIX, 'share', 'jupyter');
export const TSLAB_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'tslab');

export const PYTHON = '/usr/bin/python3';
export const JUPYTER = '/usr/bin/jupyter';

/** The Debian packages the notebooks need. */
export const APT_PACKAGES = ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'python3-numpy', 'chromium'];

/** The environment for jupyter commands: the project's kernelspec first, nothing else changed. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = process.env.JUPYTER_PATH ? [process.env.JUPYTER_PATH] : [];
  return {
    ...process.env,
    JUPYTER_PATH: [JUPYTER_DATA_DIR, ...inherited].join(path.delimiter),
    // nbconvert and the notebook server look for nbextensions and config in the user's home;
    // nothing of ours lives there, so keep its noise out of our logs.
    PYTHONWARNINGS: process.env.PYTHONWARNINGS ?? 'ignore',
    ...extra,
  };
}
