/** Where the notebook tools read and write, and the Jupyter they run (the set-up's venv and kernel, tools/setup/paths.ts). */
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/model/paths';

export { CHROMIUM_PATH, PLOTLY_MIN_JS, REPO_ROOT } from '../../lib/model/paths';
export { JUPYTER, jupyterEnv, PYTHON } from '../setup/paths';

/** The committed notebooks, executed in place by `npm run notebooks`. */
export const NOTEBOOKS_DIR = path.join(REPO_ROOT, 'notebooks');
/** Where the HTML pages of the notebooks in `notebooksDir` go, beside the one plotly.min.js they share. */
export const pagesDir = (notebooksDir: string): string => path.join(notebooksDir, 'html');
/** The committed notebooks' pages. */
export const HTML_DIR = pagesDir(NOTEBOOKS_DIR);
