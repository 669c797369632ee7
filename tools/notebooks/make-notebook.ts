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
export const TSLAB_METADATA = {
  kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
  language_info: {
    name: 'typescript',
    codemirror_mode: { name: 'typescript', typescript: true },
    file_extension: '.ts',
    mimetype: 'text/typescript',
  },
};

/** A markdown cell. Leading indentation common to all lines is removed, so template literals can be indented. */
export function md(text: string): CellSource {
  return { kind: 'markdown', source: dedent(text) };
}

/** A TypeScript code cell (common indentation removed). */
export function code(text: string): CellSource {
  return { kind: 'code', source: dedent(text) };
}

/** Remove the indentation all non-blank lines share, and blank lines at both ends. */
export function dedent(text: string): string {
  const lines = text.replace(/\t/g, '  ').split('\n');
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).replace(/\s+$/, '')).join('\n');
}

/**
 * nbformat stores a cell's source as a list of lines, each but the last keeping its newline;
 * Jupyter writes it that way, so diffs stay line-based.
 */
function toLines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((line, i) => (i < parts.length - 1 ? `${line}\n` : line)).filter((l) => l !== '');
}

/** Deterministic cell ids (nbformat 4.5 requires ids): the same source gives the same file. */
function cellId(notebook: string, index: number): string {
  return createHash('sha1').update(`${notebook}#${index}`).digest('hex').slice(0, 12);
}

/** The unexecuted notebook JSON for a source. */
export function buildNotebook(nb: NotebookSource): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { ...TSLAB_METADATA },
    cells: nb.cells.map((cell, i): NotebookCell => {
      const base = { id: cellId(nb.name, i), metadata: {}, source: toLines(cell.source) };
      return cell.kind === 'markdown'
        ? { ...base, cell_type: 'markdown' }
        : { ...base, cell_type: 'code', execution_count: null, outputs: [] };
    }),
  };
}

/** nbformat's multiline string (one string, or a list of lines) as one string; '' when it is neither. */
export function multiline(value: unknown): string {
  if (Array.isArray(value)) return value.join('');
  return typeof value === 'string' ? value : '';
}

/** A cell's source as one string, whichever form the file stores. */
export function cellText(cell: NotebookCell): string {
  return multiline(cell.source);
}

/** Whether an existing notebook file has exactly these cells (kinds and sources), outputs aside. */
function sameCells(existing: NotebookJson, built: NotebookJson): boolean {
  if (existing.cells.length !== built.cells.length) return false;
  return existing.cells.every((cell, i) => cell.cell_type === built.cells[i].cell_type && cellText(cell) === cellText(built.cells[i]));
}

/**
 * Write `<dir>/<name>.ipynb`. Returns false (and leaves the file alone) when the file already has
 * the same cells, so executed outputs are kept; true when it wrote a fresh, unexecuted notebook.
 */
export function writeNotebook(dir: string, nb: NotebookSource, options: { force?: boolean } = {}): boolean {
  const file = path.join(dir, `${nb.name}.ipynb`);
  const built = buildNotebook(nb);
  if (!options.force && fs.existsSync(file)) {
    const existing = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
    if (sameCells(existing, built)) return false;
  }
  makeDirs(dir, `notebook directory ${JSON.stringify(dir)}`);
  fs.writeFileSync(file, `${JSON.stringify(built, null, 1)}\n`);
  return true;
}

/**
 * Where the notebook sources live: modules exporting `notebook: NotebookSource` (one notebook) or
 * `notebooks: NotebookSource[]` (several made from one template). Modules exporting neither, such
 * as shared templates, are skipped.
 */
export const SOURCES_DIR = path.join(__dirname, 'sources');

/** Every notebook source, in name order. */
export function loadSources(dir = SOURCES_DIR): NotebookSource[] {
  const found: NotebookSource[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const mod = require(path.join(dir, file)) as { notebook?: NotebookSource; notebooks?: NotebookSource[] };
    if (mod.notebook) found.push(mod.notebook);
    if (mod.notebooks) found.push(...mod.notebooks);
  }
  const names = found.map((nb) => nb.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) throw new Error(`two notebook sources are both named ${repeated.join(', ')}`);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

function main(): void {
  const force = process.argv.includes('--force');
  for (const nb of loadSources()) {
    const wrote = writeNotebook(NOTEBOOKS_DIR, nb, { force });
    console.log(`${wrote ? 'wrote    ' : 'unchanged'} notebooks/${nb.name}.ipynb`);
  }
}

if (require.main === module) main();
