/**
 * Showing tables and figures in tslab notebooks. Each figure is ONE output that stores its static
 * image ONCE (a notebook of many figures stays small), and each viewer picks what it can show:
 *
 * - `application/vnd.plotly.v1+json`: JupyterLab 4 and Notebook 7 draw it with the renderer of the
 *   pip `plotly` package (jupyterlab-plotly), trusted or not; that renderer shows the bundle's PNG
 *   first and builds the interactive plot when the pointer enters it
 *   (test/system/browser.test.ts checks both);
 * - `image/png`: every viewer that does not know plotly's type, with or without JavaScript —
 *   GitHub, nbviewer and nbconvert's HTML pages (nbconvert shows a PNG when an output has no
 *   `text/html`), classic Notebook, trusted or not;
 * - `text/plain`: terminals and logs.
 *
 * No `text/html`: it would have to hold the image a second time, because nbconvert shows only one
 * representation per output, `text/html` first, and a page without JavaScript would be blank
 * without it. The pages `npm run notebooks` exports get their interactive figures from the export
 * instead (tools/notebooks/export-html.ts adds the HTML to a copy it exports).
 *
 * tslab's public `display.*` sends one MIME type per call, i.e. one output per representation.
 * Its internal `lastWriteDisplayData` sends a whole bundle; that internal API is wrapped in
 * `publish` below, the only place that touches it, with a fallback to the public API.
 */

import { columnNames, type Frame, frameToRows, isFrame } from './dataframe';
import { type FigureSpec, PLOTLY_MIME, plotlyJson } from './figures';
import { queueKernelSends } from './kernel-sends';
import { type RenderedFigure, renderFigure } from './render';
import { type TableOptions, tableHtml, tableText } from './tables';

// As soon as a notebook loads this library: without it, a cell's output and even its error text
// could vanish once the kernel had sent a few hundred messages (see kernel-sends.ts).
queueKernelSends();

/** A Jupyter display_data message's content. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

/** A bundle of these representations (MIME type → content), with what Jupyter passes on but never saves. */
export function mimeBundle(data: Record<string, unknown>, transient: Record<string, unknown> = {}): MimeBundle {
  return { data, metadata: {}, transient };
}

type Writer = (bundle: MimeBundle, update: boolean) => void;

/** tslab's bundle writer for the cell running now, or null outside a tslab kernel. */
function tslabWriter(): Writer | null {
  try {
    // Read at call time: tslab replaces it for every executed cell.
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown };
    return typeof jupyter.lastWriteDisplayData === 'function' ? (jupyter.lastWriteDisplayData as Writer) : null;
  } catch {
    return null;
  }
}

/**
 * Send a bundle as one output of the running cell. Falls back to tslab's public API (one type:
 * the HTML, else the PNG, else the text) if the internal writer is missing, and to stdout outside
 * a kernel.
 */
export function publish(bundle: MimeBundle): void {
  const write = tslabWriter();
  if (write) {
    write(bundle, false);
    return;
  }
  const html = bundle.data['text/html'];
  const png = bundle.data['image/png'];
  try {
    const tslab = require('tslab') as typeof import('tslab');
    if (typeof html === 'string') tslab.display.html(html);
    else if (typeof png === 'string') tslab.display.png(Buffer.from(png, 'base64'));
    else tslab.display.text(String(bundle.data['text/plain'] ?? ''));
    return;
  } catch {
    // Not in a kernel (a script or a test): say what would have been shown.
  }
  console.log(String(bundle.data['text/plain'] ?? ''));
}

/** The bundle of a figure, from its spec and its rendered image: the image once, as `image/png`. */
export function figureBundle(fig: FigureSpec, images: RenderedFigure): MimeBundle {
  const text = `[figure] ${fig.title} (interactive in JupyterLab, Notebook 7 and the exported HTML pages; a static image elsewhere)`;
  return mimeBundle({ [PLOTLY_MIME]: plotlyJson(fig), 'image/png': images.png, 'text/plain': text });
}

/**
 * Show a figure as one output (see the top of this file). Await it: the image is drawn by
 * headless chromium, and the output must reach the cell that is running.
 */
export async function showFigure(fig: FigureSpec): Promise<void> {
  publish(figureBundle(fig, await renderFigure(fig)));
}

/**
 * What showTable takes: typed rows (each field a column), or a danfojs Frame a reader made to
 * explore (dataframe.ts), shown with its columns in their order.
 */
export type TableInput = readonly object[] | Frame;

/** The bundle of a table: HTML (the `<table>`) and aligned text. */
export function tableBundle(table: TableInput, options: TableOptions = {}): MimeBundle {
  const [rows, shown] = isFrame(table) ? [frameToRows(table), { columns: columnNames(table), ...options }] : [table, options];
  return mimeBundle({ 'text/html': tableHtml(rows, shown), 'text/plain': tableText(rows, shown) });
}

/** Show rows (or a Frame) as one output: an HTML table and its text. */
export function showTable(table: TableInput, options: TableOptions = {}): void {
  publish(tableBundle(table, options));
}

/** Show markdown (e.g. a sentence with this run's numbers in it), as one output. */
export function showMarkdown(markdown: string): void {
  publish(mimeBundle({ 'text/markdown': markdown, 'text/plain': markdown }));
}

/**
 * Show `bundle` as the output with id `displayId` (`update` false: a new output of the running
 * cell) or replace what that output shows (`update` true: Jupyter's update_display_data, which
 * viewers and nbclient apply in place, so the saved notebook keeps only the last bundle). Returns
 * false outside a tslab kernel, where nothing was shown.
 */
export function publishDisplay(displayId: string, bundle: MimeBundle, update: boolean): boolean {
  const write = tslabWriter();
  if (!write) return false;
  write({ ...bundle, transient: { ...bundle.transient, display_id: displayId } }, update);
  return true;
}
