/**
 * What went wrong in an executed notebook, from its saved outputs alone. tslab never sends an
 * `error` output: a TypeScript compile error and a thrown exception both arrive as stderr text
 * (diagnostics as `<line>:<col> - <message>`, optionally after a file name; exceptions as a Node
 * stack), while the execute_reply says "error" — which tools/notebooks/run_notebook.py records
 * in the cell's metadata as `ipc_lab.status`. All three are checked.
 *
 * tslab prints a thrown value with console.error, so what is not an Error with a stack arrives as
 * its bare inspection: `a string`, `{ code: 1 }`, `[Error: msg]` (an Error whose stack was
 * emptied), `SweepStopped: msg` (a custom name). A cell whose status is "error" names the end of
 * its stderr then; only one with no text at all says so. A figure that stores its static image
 * more than once is a problem too: that is what makes a shared notebook too big.
 */
import { PLOTLY_MIME } from '../../lib/notebook/figures';
import { multiline, type NotebookCell, type NotebookJson, type NotebookOutput } from './make-notebook';

export interface NotebookProblem {
  /** 0-based index among all cells (markdown included), as Jupyter numbers them. */
  cellIndex: number;
  kind: 'error-output' | 'typescript' | 'exception' | 'failed-status' | 'not-run' | 'image-twice';
  /** The line that says what went wrong. */
  line: string;
}
type Problem = Omit<NotebookProblem, 'cellIndex'>;

/** A tslab TypeScript diagnostic line: `3:7 - Type 'string' is not assignable…` (file name optional). */
const TS_DIAGNOSTIC = /^(?:\S.* )?\d+:\d+ - \S.*$/m;
/** The headline of a Node exception: `Error: boom`, `TypeError [ERR_X]: …`, `UncaughtException: …`. */
const EXCEPTION_HEAD = /^\[?(?:Uncaught\w*:?\s*)?(?:[A-Z][\w$]*)?(?:Error|Exception)(?: \[[^\]]+\])?: .*$/m;
/** A stack frame line, which only an exception prints. */
const STACK_FRAME = /^ {4}at \S.*$/m;
const PROMISE_REJECTION = /^UnhandledPromiseRejection:.*$/m;
/**
 * tslab type-checks cells with a TypeScript watch program: when a .ts file a notebook imports, or
 * anything under node_modules/, changes on disk while the notebook runs, the next cell dies with
 * this internal error. The notebook is fine; the run was disturbed.
 */
const TSLAB_WATCH_ERROR = 'Unexpected pending rebuildTimer';

/** Every problem in the notebook, in cell order (at most one per cell). */
export function findProblems(nb: NotebookJson): NotebookProblem[] {
  return nb.cells.flatMap((cell, cellIndex) => {
    const found = cell.cell_type === 'code' ? problemInCell(cell) : null;
    return found ? [{ cellIndex, ...found }] : [];
  });
}

function problemInCell(cell: NotebookCell): Problem | null {
  const outputs = cell.outputs ?? [];
  const found = problemInOutputs(outputs);
  if (found?.line.includes(TSLAB_WATCH_ERROR)) {
    return { ...found, line: `${found.line} (tslab: a lib/*.ts file or node_modules/ changed on disk during the run; run it again)` };
  }
  const status = (cell.metadata?.ipc_lab as { status?: string } | undefined)?.status;
  if (found || (status && status !== 'ok')) return found ?? failedWithoutException(cell, status as string);
  const twice = outputs
    .filter((o) => o.data?.[PLOTLY_MIME] !== undefined)
    .map(imageCopies)
    .find((copies) => copies > 1);
  if (twice === undefined) return null;
  return { kind: 'image-twice', line: `a figure stores its static image ${twice} times: once is enough (see lib/notebook/display.ts)` };
}

/** A failed cell whose outputs hold no recognisable error: not run, a bare thrown value, or nothing at all. */
function failedWithoutException(cell: NotebookCell, status: string): Problem {
  const first =
    multiline(cell.source)
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  const source = first.length > 80 ? `${first.slice(0, 77)}...` : first;
  if (status === 'abort') return { kind: 'not-run', line: `not run after an earlier failure: ${source}` };
  const stderr = (cell.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stderr');
  const last = stderr
    .flatMap((o) => multiline(o.text).split('\n'))
    .filter((l) => l.trim() !== '')
    .pop();
  // A thrown value that is not an Error with a stack (see the top of this file).
  if (last !== undefined)
    return { kind: 'exception', line: `the kernel reported "${status}"; the cell's stderr ends: ${last.trim().slice(0, 200)}` };
  return { kind: 'failed-status', line: `the kernel reported "${status}" with no error text: ${source}` };
}

function problemInOutputs(outputs: NotebookOutput[]): Problem | null {
  for (const output of outputs) {
    if (output.output_type === 'error') {
      return { kind: 'error-output', line: `${output.ename ?? 'Error'}: ${output.evalue ?? ''}`.trim() };
    }
    if (output.output_type !== 'stream') continue;
    const text = multiline(output.text);
    const diagnostic = text.match(TS_DIAGNOSTIC);
    if (diagnostic) return { kind: 'typescript', line: diagnostic[0] };
    if (output.name !== 'stderr') continue;
    const head = text.match(EXCEPTION_HEAD) ?? text.match(PROMISE_REJECTION);
    if (head) return { kind: 'exception', line: head[0] };
    const frame = text.match(STACK_FRAME);
    if (!frame) continue;
    // The line just above a stack's first frame: the error's own `Name: message`, whatever its name.
    const above = text.slice(0, frame.index).split('\n');
    return { kind: 'exception', line: (above.filter((l) => l.trim() !== '').pop() ?? '').trim() };
  }
  return null;
}

/** All outputs of every code cell, flattened. */
function allOutputs(nb: NotebookJson): NotebookOutput[] {
  return nb.cells.flatMap((cell) => (cell.cell_type === 'code' ? (cell.outputs ?? []) : []));
}

/** Outputs showing an HTML table (what showTable sends). */
export function tableOutputs(nb: NotebookJson): NotebookOutput[] {
  return allOutputs(nb).filter((o) => /<table[\s>]/.test(multiline(o.data?.['text/html'])));
}

/**
 * How many times an output holds a static image: as `image/png`, as `image/svg+xml`, and inside its
 * `text/html` (a `data:image/` URL). A figure needs one (lib/notebook/display.ts): each copy of a
 * 100 KB PNG is what made a notebook of nine figures 2.3 MB.
 */
export function imageCopies(output: NotebookOutput): number {
  const data = output.data ?? {};
  const inHtml = multiline(data['text/html']).split('data:image/').length - 1;
  return (data['image/png'] !== undefined ? 1 : 0) + (data['image/svg+xml'] !== undefined ? 1 : 0) + inHtml;
}

/** Outputs carrying a figure: the plotly JSON and a static PNG in the same output (what showFigure sends). */
export function figureOutputs(nb: NotebookJson): NotebookOutput[] {
  return allOutputs(nb).filter((o) => o.data?.[PLOTLY_MIME] !== undefined && o.data?.['image/png'] !== undefined);
}
