/**
 * Showing tables and figures in tslab notebooks. Each figure is ONE output carrying several
 * representations, and each viewer picks the one it can show:
 *
 * - `application/vnd.plotly.v1+json`: JupyterLab 4 and Notebook 7 draw it with the renderer of the
 *   pip `plotly` package (jupyterlab-plotly), trusted or not; that renderer shows the bundle's PNG
 *   first and builds the interactive plot when the pointer enters it
 *   (test/system/browser.test.ts checks both);
 * - `text/html`: classic Notebook, nbviewer and nbconvert's HTML pages. It holds the static PNG
 *   inside the figure's placeholder, because classic Notebook sanitizes the HTML of an untrusted
 *   notebook (no scripts) and does not fall back to the `image/png` beside it. Where scripts do
 *   run, a small script loads ONE shared plotly.min.js (never a copy inside the notebook) and
 *   swaps the image for the interactive plot; if plotly cannot be loaded the image stays;
 * - `image/png` (and `image/svg+xml` when small): viewers without JavaScript, like GitHub's;
 * - `text/plain`: terminals and logs.
 *
 * tslab's public `display.*` sends one MIME type per call, i.e. one output per representation.
 * Its internal `lastWriteDisplayData` sends a whole bundle; that internal API is wrapped in
 * `publish` below, the only place that touches it, with a fallback to the public API.
 */

import { type Frame, isFrame } from './dataframe';
import { type FigureSpec, plotlyJson } from './figures';
import { queueKernelSends } from './kernel-sends';
import { type RenderedFigure, renderFigure } from './render';
import { escapeHtml, frameToHtml, frameToText, type TableOptions } from './tables';

// As soon as a notebook loads this library: without it, a cell's output and even its error text
// could vanish once the kernel had sent a few hundred messages (see kernel-sends.ts).
queueKernelSends();

/** A Jupyter display_data message's content. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}

/** The MIME type JupyterLab's plotly renderer reads. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/**
 * SVGs larger than this are left out of the bundle (the PNG is always there): a line chart's SVG of
 * 40–60 KB repeats what its PNG shows and would push a notebook of many figures past 2 MB.
 */
export const MAX_SVG_BYTES = 32 * 1024;

/** Where the shared plotly.min.js is looked for, relative to an exported HTML page. */
export const EXPORTED_PLOTLY = 'plotly.min.js';

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
 * the HTML, which has the image inside) if the internal writer is missing, and to stdout outside
 * a kernel.
 */
export function publish(bundle: MimeBundle): void {
  const write = tslabWriter();
  if (write) {
    write(bundle, false);
    return;
  }
  const html = bundle.data['text/html'];
  try {
    const tslab = require('tslab') as typeof import('tslab');
    if (typeof html === 'string') tslab.display.html(html);
    else tslab.display.text(String(bundle.data['text/plain'] ?? ''));
    return;
  } catch {
    // Not in a kernel (a script or a test): say what would have been shown.
  }
  console.log(String(bundle.data['text/plain'] ?? ''));
}

/** The HTML of a figure: the static image, and a script that upgrades it to interactive plotly. */
export function figureHtml(fig: FigureSpec, pngBase64: string): string {
  const domId = `ipc-lab-${fig.id}`;
  const interactive = {
    data: fig.data,
    // No fixed width: the interactive plot fills its container (up to the image's width).
    layout: { ...fig.layout, height: fig.height, autosize: true },
    config: fig.config,
  };
  // JSON inside <script>: escape "<" so no "</script>" (or "<!--") in a title can end it.
  const json = JSON.stringify(interactive).replace(/</g, '\\u003c');
  return [
    `<div id="${domId}" class="ipc-lab-figure" style="max-width: ${fig.width}px;">`,
    `<img src="data:image/png;base64,${pngBase64}" alt="${escapeHtml(fig.title)}" width="${fig.width}" height="${fig.height}" style="max-width: 100%; height: auto;">`,
    '</div>',
    '<script type="text/javascript">',
    `(function () {`,
    `  var root = document.getElementById(${JSON.stringify(domId)});`,
    `  if (!root) return;`,
    `  var fig = ${json};`,
    PLOTLY_LOADER,
    `  ipcLabPlotly().then(function (Plotly) {`,
    `    var div = document.createElement('div');`,
    `    root.insertBefore(div, root.firstChild);`,
    `    return Plotly.newPlot(div, fig.data, fig.layout, fig.config).then(function () {`,
    `      var img = root.querySelector('img');`,
    `      if (img) img.parentNode.removeChild(img);`,
    `    }, function () { div.parentNode.removeChild(div); });`,
    `  })['catch'](function () { /* no plotly here: the static image stays */ });`,
    `})();`,
    '</script>',
  ].join('\n');
}

/**
 * Finds and loads the single shared plotly.min.js once per page (window.__ipcLabPlotly caches the
 * promise for every figure). Candidates, first that loads wins:
 * - a live classic Notebook (body has data-base-url and data-notebook-path): the copy beside the
 *   HTML exports, `<notebook dir>/html/plotly.min.js`, then the installed package in
 *   `node_modules/` of the folder above, both through the server's /files/ route;
 * - JupyterLab (#jupyter-config-data): the same two files from the server root;
 * - anything else, i.e. an exported page in notebooks/html/: `plotly.min.js` beside the page.
 */
const PLOTLY_LOADER = `
  function ipcLabPlotly() {
    if (window.Plotly && window.Plotly.newPlot) return Promise.resolve(window.Plotly);
    if (window.__ipcLabPlotly) return window.__ipcLabPlotly;
    var urls = [], body = document.body;
    var base = body && body.getAttribute('data-base-url');
    var nbPath = body && body.getAttribute('data-notebook-path');
    var pkg = 'node_modules/plotly.js-dist-min/plotly.min.js';
    function join(parts) { return parts.filter(function (p) { return p; }).join('/'); }
    if (base !== null && base !== undefined && nbPath !== null && nbPath !== undefined) {
      var dir = nbPath.split('/').slice(0, -1);
      urls.push(base + 'files/' + join(dir.concat(['html', 'plotly.min.js'])));
      urls.push(base + 'files/' + join(dir.slice(0, -1).concat([pkg])));
    } else if (document.getElementById('jupyter-config-data')) {
      var labBase = '/';
      try { labBase = JSON.parse(document.getElementById('jupyter-config-data').textContent).baseUrl || '/'; } catch (e) {}
      urls.push(labBase + 'files/notebooks/html/plotly.min.js');
      urls.push(labBase + 'files/' + pkg);
    } else {
      urls.push(${JSON.stringify(EXPORTED_PLOTLY)});
    }
    window.__ipcLabPlotly = new Promise(function (resolve, reject) {
      var i = 0;
      (function next() {
        if (window.Plotly && window.Plotly.newPlot) return resolve(window.Plotly);
        if (i >= urls.length) return reject(new Error('plotly.js not found'));
        var s = document.createElement('script');
        s.src = urls[i++];
        s.onload = function () { next(); };
        s.onerror = function () { s.parentNode.removeChild(s); next(); };
        document.head.appendChild(s);
      })();
    });
    return window.__ipcLabPlotly;
  }`;

/** The text/plain of a figure. */
function figureText(fig: FigureSpec): string {
  return `[figure] ${fig.title} (interactive in JupyterLab, a trusted notebook or the exported HTML; static image otherwise)`;
}

/** The full bundle of a figure, from its spec and its rendered images. */
export function figureBundle(fig: FigureSpec, images: RenderedFigure): MimeBundle {
  const data: Record<string, unknown> = {
    [PLOTLY_MIME]: plotlyJson(fig),
    'text/html': figureHtml(fig, images.png),
    'image/png': images.png,
    'text/plain': figureText(fig),
  };
  if (Buffer.byteLength(images.svg) <= MAX_SVG_BYTES) data['image/svg+xml'] = images.svg;
  return { data, metadata: {}, transient: {} };
}

/**
 * Show a figure as one output (see the top of this file). Await it: the image is drawn by
 * headless chromium, and the output must reach the cell that is running.
 */
export async function showFigure(fig: FigureSpec): Promise<void> {
  publish(figureBundle(fig, await renderFigure(fig)));
}

/** The bundle of a table: HTML (the `<table>`) and aligned text. */
export function tableBundle(table: Frame | string, options: TableOptions = {}): MimeBundle {
  if (isFrame(table)) {
    return {
      data: { 'text/html': frameToHtml(table, options), 'text/plain': frameToText(table, options) },
      metadata: {},
      transient: {},
    };
  }
  const text = table
    .replace(/<[^>]*>/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return { data: { 'text/html': table, 'text/plain': text }, metadata: {}, transient: {} };
}

/** Show a Frame (as an HTML table, see frameToHtml) or ready-made HTML, as one output. */
export function showTable(table: Frame | string, options: TableOptions = {}): void {
  publish(tableBundle(table, options));
}

/** Show markdown (e.g. a sentence with this run's numbers in it), as one output. */
export function showMarkdown(markdown: string): void {
  publish({ data: { 'text/markdown': markdown, 'text/plain': markdown }, metadata: {}, transient: {} });
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
