/**
 * Interactive figures in the exported HTML pages. A notebook stores each figure as plotly JSON and
 * ONE static PNG (lib/notebook/display.ts), and nbconvert shows the PNG of such an output: right
 * for any page, with or without JavaScript. The pages `npm run notebooks` exports do better: the
 * copy they are made from gets, for each figure, HTML that holds the image and a small script that
 * loads the ONE plotly.min.js beside the page (never a copy inside the page) and swaps the image for
 * the interactive plot. Without JavaScript, or if plotly cannot be loaded, the image stays.
 */
import { PLOTLY_MIME } from '../../lib/notebook/figures';
import { escapeHtml } from '../../lib/notebook/tables';
import { multiline, type NotebookJson } from './make-notebook';

/** Where the shared plotly.min.js is, relative to an exported page. */
export const EXPORTED_PLOTLY = 'plotly.min.js';

/** What a figure output stores under the plotly MIME type (see plotlyJson in lib/notebook/figures.ts). */
interface PlotlyFigureJson {
  data: unknown[];
  layout: { width?: number; height?: number; title?: { text?: string } | string; [key: string]: unknown };
  config?: Record<string, unknown>;
}

/** The page's HTML of one figure: its static image, which a script upgrades to the interactive plot. */
export function figureHtml(figure: PlotlyFigureJson, pngBase64: string, domId: string): string {
  const { width, ...layout } = figure.layout;
  const title = typeof layout.title === 'string' ? layout.title : (layout.title?.text ?? '');
  // No fixed width: the interactive plot fills its container (up to the image's width).
  const interactive = { data: figure.data, layout: { ...layout, autosize: true }, config: figure.config ?? {} };
  // JSON inside <script>: escape "<" so no "</script>" (or "<!--") in a title can end it.
  const json = JSON.stringify(interactive).replace(/</g, '\\u003c');
  const size = `${width ? ` width="${width}"` : ''}${layout.height ? ` height="${layout.height}"` : ''}`;
  // window.__ipcLabPlotly: the ONE load of the shared plotly.min.js beside the page, for every figure.
  return `<div id="${domId}" class="ipc-lab-figure"${width ? ` style="max-width: ${width}px;"` : ''}>
<img src="data:image/png;base64,${pngBase64}" alt="${escapeHtml(title)}"${size} style="max-width: 100%; height: auto;">
</div>
<script type="text/javascript">
(function () {
  var root = document.getElementById(${JSON.stringify(domId)});
  var fig = ${json};
  if (!root) return;
  window.__ipcLabPlotly = window.__ipcLabPlotly || new Promise(function (resolve, reject) {
    if (window.Plotly && window.Plotly.newPlot) return resolve(window.Plotly);
    var s = document.createElement('script');
    s.src = ${JSON.stringify(EXPORTED_PLOTLY)};
    s.onload = function () { window.Plotly && window.Plotly.newPlot ? resolve(window.Plotly) : reject(new Error('no Plotly')); };
    s.onerror = function () { reject(new Error('plotly.js not found')); };
    document.head.appendChild(s);
  });
  window.__ipcLabPlotly.then(function (Plotly) {
    var div = document.createElement('div');
    root.insertBefore(div, root.firstChild);
    return Plotly.newPlot(div, fig.data, fig.layout, fig.config).then(function () {
      var img = root.querySelector('img');
      if (img) root.removeChild(img);
    }, function () { root.removeChild(div); });
  })['catch'](function () { /* no plotly here: the static image stays */ });
})();
</script>`;
}

/**
 * A copy of an executed notebook for the page: every figure output (plotly JSON and a PNG) also
 * carries the figure's HTML, which nbconvert then shows instead of the bare PNG. Ids count the
 * figures, so exporting the same notebook again gives the same page.
 */
export function withPageFigures(nb: NotebookJson): NotebookJson {
  let figures = 0;
  const cells = nb.cells.map((cell) => {
    if (cell.cell_type !== 'code' || !cell.outputs) return cell;
    const outputs = cell.outputs.map((output) => {
      const plotly = output.data?.[PLOTLY_MIME] as PlotlyFigureJson | undefined;
      const png = multiline(output.data?.['image/png']);
      if (plotly === undefined || png === '' || output.data?.['text/html'] !== undefined) return output;
      figures++;
      return { ...output, data: { ...output.data, 'text/html': figureHtml(plotly, png.replace(/\s/g, ''), `ipc-lab-figure-${figures}`) } };
    });
    return { ...cell, outputs };
  });
  return { ...nb, cells };
}
