/**
 * Notebooks as code: a notebook is a name and a list of markdown and TypeScript cells, written to
 * notebooks/<name>.ipynb as nbformat 4.5 JSON for the tslab kernel. Writing the .ipynb by hand in
 * an editor loses to merge conflicts and stray outputs; a generator keeps the source reviewable.
 *
 * Run `node -r ts-node/register/transpile-only tools/notebooks/make-notebook.ts` to (re)write every
 * notebook defined in tools/notebooks/sources/. A notebook whose cell sources did not change is left
 * alone, so its executed outputs survive.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../../lib/model/safe-dirs';
import { NOTEBOOKS_DIR } from './paths';

/** One cell as written by hand: markdown prose or TypeScript code for tslab. */
export interface CellSource {
  kind: 'markdown' | 'code';
  source: string;
}

/** A notebook as written by hand. */
export interface NotebookSource {
  /** File name without extension, e.g. `00-index`; the notebooks run in name order. */
  name: string;
  /**
   * The experiments (lib/sweep/experiments.ts and its siblings) whose results the notebook shows:
   * `npm run notebooks` measures their union once, and the notebook takes its slice of that run.
   */
  experiments?: string[];
  cells: CellSource[];
}

/** The subset of nbformat 4 that ipc-lab writes and reads. */
export interface NotebookJson {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

export interface NotebookCell {
  id?: string;
  cell_type: 'markdown' | 'code' | 'raw';
  metadata: Record<string, unknown>;
  source: string | string[];
  execution_count?: number | null;
  outputs?: NotebookOutput[];
}

/** An output as nbformat stores it: `stream`, `display_data`, `execute_result` or `error`. */
export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** The kernel every ipc-lab notebook runs on: tslab's TypeScript kernel. */
const TSLAB_METADATA = {
  kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
  language_info: {
    name: 'typescript',
    codemirror_mode: { name: 'typescript', typescript: true },
    file_extension: '.ts',
    mimetype: 'text/typescript',
  },
};

/** A markdown cell. Leading indentation common to all lines is removed, so template literals can be indented. */
export const md = (text: string): CellSource => ({ kind: 'markdown', source: dedent(text) });
/** A TypeScript code cell (common indentation removed). */
export const code = (text: string): CellSource => ({ kind: 'code', source: dedent(text) });

/** Remove the indentation all non-blank lines share, and blank lines at both ends. */
export function dedent(text: string): string {
  const lines = text.replace(/\t/g, '  ').split('\n');
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).replace(/\s+$/, '')).join('\n');
}

/** The unexecuted notebook JSON for a source. */
export function buildNotebook(nb: NotebookSource): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { ...TSLAB_METADATA },
    cells: nb.cells.map((cell, i): NotebookCell => {
      // Ids from the name and position (nbformat 4.5 requires ids): the same source gives the same file.
      const id = createHash('sha1').update(`${nb.name}#${i}`).digest('hex').slice(0, 12);
      // The source as lines, each but the last keeping its newline, as Jupyter writes it: diffs stay line-based.
      const base = { id, metadata: {}, source: cell.source.split(/(?<=\n)/).filter((l) => l !== '') };
      return cell.kind === 'markdown'
        ? { ...base, cell_type: 'markdown' }
        : { ...base, cell_type: 'code', execution_count: null, outputs: [] };
    }),
  };
}

/** nbformat's multiline string (one string, or a list of lines) as one string; '' when it is neither. */
export function multiline(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

/**
 * Write `<dir>/<name>.ipynb`. Returns false (and leaves the file alone) when the file already has
 * the same cells (kinds and sources), so executed outputs are kept; true when it wrote a fresh one.
 */
function writeNotebook(dir: string, nb: NotebookSource): boolean {
  const file = path.join(dir, `${nb.name}.ipynb`);
  const built = buildNotebook(nb);
  const cellsOf = (n: NotebookJson) => JSON.stringify(n.cells.map((c) => [c.cell_type, multiline(c.source)]));
  if (fs.existsSync(file) && cellsOf(JSON.parse(fs.readFileSync(file, 'utf8'))) === cellsOf(built)) return false;
  makeDirs(dir, `notebook directory ${JSON.stringify(dir)}`);
  fs.writeFileSync(file, `${JSON.stringify(built, null, 1)}\n`);
  return true;
}

/** Every notebook source (each module of sources/ exports its `notebook`), in name order. */
export function loadSources(): NotebookSource[] {
  const dir = path.join(__dirname, 'sources');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const found = files.map((file) => (require(path.join(dir, file)) as { notebook: NotebookSource }).notebook);
  const names = found.map((nb) => nb.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) throw new Error(`two notebook sources are both named ${repeated.join(', ')}`);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

if (require.main === module) {
  for (const nb of loadSources()) console.log(`${writeNotebook(NOTEBOOKS_DIR, nb) ? 'wrote    ' : 'unchanged'} notebooks/${nb.name}.ipynb`);
}
