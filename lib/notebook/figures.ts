/**
 * Every plotly figure of ipc-lab is built here, as plain data (a plotly.js figure spec), so the
 * notebooks, the static renderer (render.ts) and the display bundle (display.ts) draw the same
 * thing. `df.plot()` of danfojs does not work in Node, and a figure as data is easy to test.
 */
import { createHash } from 'node:crypto';
import { roundSignificant } from '../model/format';
import { type FailureMark, failureLayout } from './figure-notes';
import { distinctColors, knownStyle, type SeriesStyle, SOLID } from './palette';

/** A plotly trace or layout, as plain JSON. */
export type PlotlyObject = Record<string, unknown>;

/** A figure: what `Plotly.newPlot(div, data, layout, config)` takes, plus an id and a size. */
export interface FigureSpec {
  /** Deterministic: a hash of the figure's content, so re-running a notebook gives the same ids. */
  id: string;
  /** The title, also the alt text of the static image. */
  title: string;
  data: PlotlyObject[];
  layout: PlotlyObject;
  config: PlotlyObject;
  /** The size in CSS pixels of the static image (and the interactive plot's height). */
  width: number;
  height: number;
}

/** What every series has: a name and, optionally, its own look and whiskers. */
interface Series {
  name: string;
  /** Its look; by default the palette's for its name, else a colour no other series of the figure has. */
  style?: Partial<SeriesStyle>;
  /** A whisker above each value, as far as it says (e.g. p99 − p50); null or 0 for none. */
  above?: readonly (number | null)[];
}

/** One line of a line chart. `null` in y leaves a gap (a failed or missing measurement). */
export interface LineSeries extends Series {
  x: readonly number[];
  y: readonly (number | null)[];
}

/** One group member of a grouped bar chart: a value per category, `null` where there is none. */
export interface BarSeries extends Series {
  values: readonly (number | null)[];
}

/** What both figure builders take. */
interface FigureOptions {
  title: string;
  /** Axis titles carry their units, e.g. `list length (elements)`, `time (s)`. */
  yTitle: string;
  /** `auto`: a log axis when the positive values span more than two decades (a linear one would flatten all but the largest). */
  logY?: boolean | 'auto';
  /** Where a series has no value because its transfer failed or was refused: shown with the reason. */
  failures?: readonly FailureMark[];
  width?: number;
  height?: number;
}

export interface LineFigureOptions extends FigureOptions {
  xTitle: string;
  logX?: boolean;
  series: readonly LineSeries[];
}

export interface GroupedBarFigureOptions extends FigureOptions {
  /** What the x axis shows; `failures` name a category as their `at`. */
  categories: readonly string[];
  xTitle?: string;
  series: readonly BarSeries[];
  /** Print each bar's value on it (default true). */
  showValues?: boolean;
  /** Stack the series of a category into one bar (parts of a whole) instead of side by side. */
  stacked?: boolean;
}

const DEFAULT_WIDTH = 800;
const DEFAULT_HEIGHT = 460;

function axis(title: string, log: boolean): PlotlyObject {
  // exponentformat: 10^8 reads better than 100M for sizes and times spanning many decades.
  const [type, grid] = [log ? 'log' : 'linear', { showgrid: true, gridcolor: '#e5e5e5', zeroline: !log }];
  return { title: { text: title }, type, exponentformat: 'power', ...grid, linecolor: '#444', mirror: true, ticks: 'outside' };
}

/** On a log axis a value ≤ 0 cannot be drawn: it becomes a gap instead of a plotly warning. */
function forAxis(values: readonly (number | null)[], log: boolean): (number | null)[] {
  return values.map((v) => (v === null || !Number.isFinite(v) || (log && v <= 0) ? null : v));
}

/** Whether positive values span more than two decades: then only a log axis shows the small ones. */
export function spansDecades(values: readonly (number | null)[]): boolean {
  const positive = values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  return positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 100;
}

/** Escape text that plotly would read as a hover template placeholder. */
function plain(text: string): string {
  return text.replace(/%\{/g, '%\u200b{');
}

/**
 * The parts both builders share: each series' style (its own over the palette's for its name,
 * colours distinct within the figure), whiskers, the failure note, the layout and the id.
 * `trace` makes a series' own trace from its style and whether the value axis is logarithmic.
 */
function assemble<S extends Series>(
  options: FigureOptions & { series: readonly S[] },
  values: (s: S) => readonly (number | null)[],
  trace: (s: S, style: SeriesStyle, logY: boolean) => PlotlyObject,
  shape: {
    xaxis: PlotlyObject;
    xOf: (at: string | number) => string | number;
    slotShift?: (series: number) => number;
    layout?: PlotlyObject;
  },
): FigureSpec {
  const logY = options.logY === 'auto' ? spansDecades(options.series.flatMap(values)) : (options.logY ?? false);
  const colors = distinctColors(options.series.map((s) => ({ name: s.name, color: s.style?.color })));
  const styles = options.series.map((s, i): SeriesStyle => ({ ...SOLID, ...knownStyle(s.name), ...s.style, color: colors[i] }));
  const data = options.series.map((s, i) => {
    const whiskers = s.above && {
      error_y: { ...WHISKER, array: s.above.map((v) => v ?? 0), arrayminus: s.above.map(() => 0), color: colors[i] },
    };
    return { ...trace(s, styles[i], logY), ...whiskers };
  });
  const width = options.width ?? DEFAULT_WIDTH;
  const notes = failureLayout(
    options.failures ?? [],
    (mark) => {
      const i = options.series.findIndex((s) => s.name === mark.series);
      return { x: shape.xOf(mark.at), xshift: shape.slotShift?.(i) ?? 0, color: styles[i]?.color };
    },
    options.height ?? DEFAULT_HEIGHT,
  );
  // Fonts every Debian chromium has, white background, room for the legend below the plot.
  const base: PlotlyObject = {
    title: { text: options.title, x: 0.02, xanchor: 'left', font: { size: 16 } },
    font: { family: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', size: 12 },
    paper_bgcolor: 'white',
    plot_bgcolor: 'white',
    height: notes.height,
    margin: { l: 70, r: 20, t: 60, b: 60 },
    legend: { orientation: 'h', x: 0, y: -0.18, yanchor: 'top' },
    hovermode: 'closest',
  };
  const layout = { ...base, ...notes.layout(base), ...shape.layout, xaxis: shape.xaxis, yaxis: axis(options.yTitle, logY) };
  const config = { responsive: true, displaylogo: false };
  return rehash({ title: options.title, data, layout, config, width, height: notes.height });
}

/** plotly draws error_y over each point; arrayminus 0 keeps a whisker above its value. */
const WHISKER = { type: 'data', symmetric: false, thickness: 1.2, width: 3 };

/** The figure with its id made from its content (data, layout, size): after any change to a built figure's traces or layout. */
export function rehash(fig: Omit<FigureSpec, 'id'> & { id?: string }): FigureSpec {
  const { data, layout, width, height } = fig;
  return { ...fig, id: `fig-${createHash('sha1').update(JSON.stringify({ data, layout, width, height })).digest('hex').slice(0, 12)}` };
}

/** Lines with markers, one per series, each in its palette colour; log axes on request (values ≤ 0 become gaps there). */
export function lineFigure(options: LineFigureOptions): FigureSpec {
  const logX = options.logX ?? false;
  const uneven = options.series.find((s) => s.x.length !== s.y.length);
  if (uneven)
    throw new Error(`lineFigure: series ${JSON.stringify(uneven.name)} has ${uneven.x.length} x values and ${uneven.y.length} y values`);
  const hover = `${plain(options.xTitle)}: %{x}<br>${plain(options.yTitle)}: %{y:.4g}<extra></extra>`;
  return assemble(
    options,
    (s) => s.y,
    (s, style, logY) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: s.name,
      x: forAxis(s.x, logX),
      y: forAxis(s.y, logY),
      connectgaps: false,
      line: { color: style.color, dash: style.dash, width: 2 },
      marker: { color: style.color, symbol: style.symbol, size: 7 },
      hovertemplate: `${plain(s.name)}<br>${hover}`,
    }),
    { xaxis: axis(options.xTitle, logX), xOf: (at) => (typeof at === 'number' && logX ? Math.log10(at) : at) },
  );
}

/** Bars grouped by category, each series in its palette colour; a null value leaves its slot empty. */
export function groupedBarFigure(options: GroupedBarFigureOptions): FigureSpec {
  const [n, width, count] = [options.series.length, options.width ?? DEFAULT_WIDTH, options.categories.length];
  const uneven = options.series.find((s) => s.values.length !== count);
  if (uneven)
    throw new Error(`groupedBarFigure: series ${JSON.stringify(uneven.name)} has ${uneven.values.length} values for ${count} categories`);
  const showValues = options.showValues ?? true;
  // How far (px) series i's bar is from its category's centre: plotly's default bargap (0.2) leaves
  // 80 % of a category's width to its group; the plot area is the width less the 70 + 20 px margins.
  const slotShift = (i: number) => (i < 0 || n < 2 ? 0 : Math.round(((i - (n - 1) / 2) * (((width - 90) / count) * 0.8)) / n));
  return assemble(
    options,
    (s) => s.values,
    (s, style, logY) => {
      const values = forAxis(s.values, logY);
      const pattern = style.pattern ? { pattern: { shape: style.pattern, fgcolor: 'white', fillmode: 'overlay' } } : {};
      const labels = showValues && {
        text: values.map((v) => (v === null ? '' : formatValue(v))),
        textposition: options.stacked ? 'inside' : 'outside',
        cliponaxis: false,
      };
      return {
        type: 'bar',
        name: s.name,
        x: [...options.categories],
        y: values,
        marker: { color: style.color, ...pattern },
        ...labels,
        hovertemplate: `${plain(s.name)}<br>%{x}<br>${plain(options.yTitle)}: %{y:.4g}<extra></extra>`,
      };
    },
    {
      xaxis: { ...axis(options.xTitle ?? '', false), type: 'category', showgrid: false, zeroline: false },
      xOf: (at) => at,
      slotShift,
      layout: { barmode: options.stacked ? 'stack' : 'group', uniformtext: { minsize: 8, mode: 'hide' } },
    },
  );
}

/** A bar label: three significant digits, no exponent for the times ipc-lab shows. */
export function formatValue(v: number): string {
  const abs = Math.abs(v);
  return v !== 0 && (abs >= 1000 || abs < 0.001) ? v.toExponential(1) : String(roundSignificant(v, 3));
}

/** The MIME type of a figure's plotly JSON, which JupyterLab's plotly renderer reads. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** The figure as plotly's own JSON (what `PLOTLY_MIME` carries). */
export function plotlyJson(fig: FigureSpec): { data: PlotlyObject[]; layout: PlotlyObject; config: PlotlyObject } {
  return { data: fig.data, layout: { ...fig.layout, width: fig.width, height: fig.height }, config: fig.config };
}
