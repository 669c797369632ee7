/**
 * The HTML page of an executed notebook: nbconvert's export into `<dir>/html/<name>.html`, made
 * from a copy whose figures are interactive (page-figures.ts), with links between notebooks
 * pointing at the sibling pages, beside the ONE plotly.min.js every page loads by relative URL
 * (never a copy inside a page).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDirs } from '../../lib/model/safe-dirs';
import type { NotebookJson } from './make-notebook';
import { EXPORTED_PLOTLY, withPageFigures } from './page-figures';
import { JUPYTER, PLOTLY_MIN_JS } from './paths';
import type { ChildRun, Children } from './run-driver';

/**
 * Links between notebooks are written as `01-x.ipynb` (right in Jupyter, on GitHub and nbviewer);
 * in the exported pages they must point at the sibling page `01-x.html` instead.
 */
export function rewriteNotebookLinks(html: string): string {
  return html.replace(/href="([^"/:#?]+)\.ipynb(#[^"]*)?"/g, 'href="$1.html$2"');
}

/** Export `notebookPath` as `<htmlDir>/<name>.html`: the page's path, or the failed export's run. */
export async function exportPage(
  notebookPath: string,
  name: string,
  htmlDir: string,
  children: Children,
  env: NodeJS.ProcessEnv,
): Promise<{ page: string } | { failed: ChildRun }> {
  makeDirs(htmlDir, `HTML directory ${JSON.stringify(htmlDir)}`);
  const shared = path.join(htmlDir, EXPORTED_PLOTLY);
  if (!fs.existsSync(shared) || fs.statSync(shared).size !== fs.statSync(PLOTLY_MIN_JS).size) fs.copyFileSync(PLOTLY_MIN_JS, shared);
  // The page's copy lives in a private temp dir for the export only; the notebook stays as it is.
  const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-page-'));
  try {
    const copy = path.join(copyDir, `${name}.ipynb`);
    const nb = JSON.parse(fs.readFileSync(notebookPath, 'utf8')) as NotebookJson;
    fs.writeFileSync(copy, JSON.stringify(withPageFigures(nb)));
    const exported = await children.command(JUPYTER, ['nbconvert', '--to', 'html', '--output-dir', htmlDir, '--output', name, copy], env);
    const page = path.join(htmlDir, `${name}.html`);
    if (!exported.ok || !fs.existsSync(page)) return { failed: exported };
    fs.writeFileSync(page, rewriteNotebookLinks(fs.readFileSync(page, 'utf8')));
    return { page };
  } finally {
    fs.rmSync(copyDir, { recursive: true, force: true });
  }
}
