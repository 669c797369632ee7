/**
 * Showing tables and figures in tslab notebooks. Each figure is ONE output that stores its static
 * image ONCE (a notebook of many figures stays small), and each viewer picks what it can show: the
 * plotly JSON (JupyterLab 4 and Notebook 7, through the pip `plotly` package's renderer, trusted
 * or not, test/system/browser.test.ts), the PNG (GitHub, nbviewer, nbconvert, classic Notebook)
 * or the text (terminals). No `text/html`: nbconvert shows only one representation, `text/html`
 * first, so it would have to hold the image a second time; the exported pages get interactive
 * figures from the export instead (tools/notebooks/page-figures.ts).
 *
 * tslab's public `display.*` sends one MIME type per call, i.e. one output per representation; its
 * internal `lastWriteDisplayData` sends a whole bundle, and `tslabWriter` is the only place that
 * touches it.
 */

import { type Frame, frameToRows, isFrame } from './dataframe';
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
 * Send a bundle as one output of the running cell; outside a kernel (a script, a test), print its
 * text. (tslab's public API is no fallback: it throws "Not ready" without the same writer.)
 */
export function publish(bundle: MimeBundle): void {
  const write = tslabWriter();
  if (write) write(bundle, false);
  else console.log(String(bundle.data['text/plain'] ?? ''));
}

/** The bundle of a figure, from its spec and its rendered image: the image once, as `image/png`. */
export function figureBundle(fig: FigureSpec, images: RenderedFigure): MimeBundle {
  const text = `[figure] ${fig.title} (interactive in JupyterLab, Notebook 7 and the exported HTML pages; a static image elsewhere)`;
  return mimeBundle({ [PLOTLY_MIME]: plotlyJson(fig), 'image/png': images.png, 'text/plain': text });
}

/** Show a figure as one output. Await it: headless chromium draws the image, and it must reach the running cell. */
export async function showFigure(fig: FigureSpec): Promise<void> {
  publish(figureBundle(fig, await renderFigure(fig)));
}

/** Typed rows (each field a column), or a danfojs Frame a reader made to explore, shown with its columns in order. */
export type TableInput = readonly object[] | Frame;

/** The bundle of a table: HTML (the `<table>`) and aligned text. */
export function tableBundle(table: TableInput, options: TableOptions = {}): MimeBundle {
  const [rows, shown] = isFrame(table) ? [frameToRows(table), { columns: [...table.columns], ...options }] : [table, options];
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
 * Show `bundle` as the output `displayId`: a new output of the running cell, or with `update` a
 * replacement of what it shows (update_display_data, applied in place, so the saved notebook keeps
 * only the last bundle). False outside a tslab kernel, where nothing was shown.
 */
export function publishDisplay(displayId: string, bundle: MimeBundle, update: boolean): boolean {
  const write = tslabWriter();
  write?.({ ...bundle, transient: { ...bundle.transient, display_id: displayId } }, update);
  return write !== null;
}
