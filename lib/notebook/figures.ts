/**
 * Every plotly figure of ipc-lab is built here, as plain data (a plotly.js figure spec), so the
 * notebooks, the static renderer (lib/notebook/render.ts) and the display bundle (lib/notebook/display.ts) all
 * draw the same thing. `df.plot()` of danfojs does not work in Node, and a figure as data is
 * easy to test.
 */
import { createHash } from 'node:crypto';
import { type FailureMark, failureLayout } from './figure-notes';
import { distinctColors, knownStyle, type SeriesStyle } from './palette';

export type { FailureMark } from './figure-notes';

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

/** One line of a line chart. `null` in y leaves a gap (a failed or missing measurement). */
export interface LineSeries {
  name: string;
  x: readonly number[];
  y: readonly (number | null)[];
  /**
   * Its look; by default the palette's for its name (a transport, runtime, codec, phase or
   * payload: lib/notebook/palette.ts), else a fallback colour no other series of the figure has.
   */
  style?: Partial<SeriesStyle>;
}

/** One group member of a grouped bar chart: a value per category, `null` where there is none. */
export interface BarSeries {
  name: string;
  values: readonly (number | null)[];
  /** Its look, as for LineSeries (bars use the colour and the pattern). */
  style?: Partial<SeriesStyle>;
}

/**
 * `true`/`false`, or `auto`: a log axis when the positive values span more than two decades
 * (a linear axis would flatten everything but the largest bars to the baseline).
 */
export type LogChoice = boolean | 'auto';

export interface LineFigureOptions {
  title: string;
  /** Axis titles carry their units, e.g. `list length (elements)`, `time (s)`. */
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: LogChoice;
  series: readonly LineSeries[];
  /** Where a series has no value because its transfer failed or was refused: shown with the reason. */
  failures?: readonly FailureMark[];
  width?: number;
  height?: number;
}

export interface GroupedBarFigureOptions {
  title: string;
  categories: readonly string[];
  xTitle?: string;
  /** With its unit, e.g. `time (s)`. */
  yTitle: string;
  logY?: LogChoice;
  series: readonly BarSeries[];
  /** Categories (and series) without a bar because the transfer failed or was refused. */
  failures?: readonly FailureMark[];
  /** Print each bar's value on it (default true). */
  showValues?: boolean;
  /** Stack the series of a category into one bar (parts of a whole) instead of side by side. */
  stacked?: boolean;
  width?: number;
  height?: number;
}

const DEFAULT_WIDTH = 800;
const DEFAULT_HEIGHT = 460;

/** Shared look: fonts every Debian chromium has, white background, room for the legend. */
function baseLayout(title: string, height: number): PlotlyObject {
  return {
    title: { text: title, x: 0.02, xanchor: 'left', font: { size: 16 } },
    font: { family: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', size: 12 },
    paper_bgcolor: 'white',
    plot_bgcolor: 'white',
    height,
    margin: { l: 70, r: 20, t: 60, b: 60 },
    legend: { orientation: 'h', x: 0, y: -0.18, yanchor: 'top' },
    hovermode: 'closest',
  };
}

function axis(title: string, log: boolean): PlotlyObject {
  return {
    title: { text: title },
    type: log ? 'log' : 'linear',
    // 10^8 reads better than 100M for sizes and times spanning many decades.
    exponentformat: 'power',
    showgrid: true,
    gridcolor: '#e5e5e5',
    zeroline: !log,
    linecolor: '#444',
    mirror: true,
    ticks: 'outside',
  };
}

/** On a log axis a value ≤ 0 cannot be drawn: it becomes a gap instead of a plotly warning. */
function forAxis(values: readonly (number | null)[], log: boolean): (number | null)[] {
  return values.map((v) => (v === null || !Number.isFinite(v) || (log && v <= 0) ? null : v));
}

/** Whether positive values span more than two decades: then only a log axis shows the small ones. */
export function spansDecades(values: readonly (number | null)[], decades = 2): boolean {
  const positive = values.filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
  return positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 10 ** decades;
}

function resolveLog(choice: LogChoice | undefined, values: readonly (number | null)[]): boolean {
  return choice === 'auto' ? spansDecades(values) : (choice ?? false);
}

/** Each series' style: its own, over the palette's for its name; colours distinct within the figure. */
function stylesOf(series: readonly { name: string; style?: Partial<SeriesStyle> }[]): SeriesStyle[] {
  const colors = distinctColors(series.map((s) => ({ name: s.name, color: s.style?.color })));
  return series.map((s, i) => ({
    dash: 'solid',
    symbol: 'circle',
    pattern: '',
    ...knownStyle(s.name),
    ...s.style,
    color: colors[i],
  }));
}

/** Escape text that plotly would read as a hover template placeholder. */
function plain(text: string): string {
  return text.replace(/%\{/g, '%\u200b{');
}

function finish(title: string, data: PlotlyObject[], layout: PlotlyObject, width: number, height: number): FigureSpec {
  return rehash({ title, data, layout, config: { responsive: true, displaylogo: false }, width, height });
}

/** The figure with its id made from its content (data, layout, size): after any change to a built figure's traces or layout. */
export function rehash(fig: Omit<FigureSpec, 'id'> & { id?: string }): FigureSpec {
  const { data, layout, width, height } = fig;
  return { ...fig, id: `fig-${createHash('sha1').update(JSON.stringify({ data, layout, width, height })).digest('hex').slice(0, 12)}` };
}

/** Lines with markers, one per series, each in its palette colour; log axes on request (values ≤ 0 become gaps there). */
export function lineFigure(options: LineFigureOptions): FigureSpec {
  const logX = options.logX ?? false;
  const logY = resolveLog(
    options.logY,
    options.series.flatMap((s) => s.y),
  );
  const width = options.width ?? DEFAULT_WIDTH;
  const styles = stylesOf(options.series);
  const data = options.series.map((s, i): PlotlyObject => {
    if (s.x.length !== s.y.length) {
      throw new Error(`lineFigure: series ${JSON.stringify(s.name)} has ${s.x.length} x values and ${s.y.length} y values`);
    }
    const style = styles[i];
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: s.name,
      x: forAxis(s.x, logX),
      y: forAxis(s.y, logY),
      connectgaps: false,
      line: { color: style.color, dash: style.dash, width: 2 },
      marker: { color: style.color, symbol: style.symbol, size: 7 },
      hovertemplate: `${plain(s.name)}<br>${plain(options.xTitle)}: %{x}<br>${plain(options.yTitle)}: %{y:.4g}<extra></extra>`,
    };
  });
  const notes = failureLayout({
    failures: options.failures ?? [],
    colorOf: (name) => styles[options.series.findIndex((s) => s.name === name)]?.color,
    xOf: (at) => (typeof at === 'number' && logX ? Math.log10(at) : at),
    height: options.height ?? DEFAULT_HEIGHT,
  });
  const base = baseLayout(options.title, notes.height);
  const layout = {
    ...base,
    ...notes.layout(base),
    xaxis: axis(options.xTitle, logX),
    yaxis: axis(options.yTitle, logY),
  };
  return finish(options.title, data, layout, width, notes.height);
}

/** Bars grouped by category, each series in its palette colour; a null value leaves its slot empty. */
export function groupedBarFigure(options: GroupedBarFigureOptions): FigureSpec {
  const logY = resolveLog(
    options.logY,
    options.series.flatMap((s) => s.values),
  );
  const width = options.width ?? DEFAULT_WIDTH;
  const showValues = options.showValues ?? true;
  const styles = stylesOf(options.series);
  const data = options.series.map((s, i): PlotlyObject => {
    if (s.values.length !== options.categories.length) {
      throw new Error(
        `groupedBarFigure: series ${JSON.stringify(s.name)} has ${s.values.length} values for ${options.categories.length} categories`,
      );
    }
    const values = forAxis(s.values, logY);
    const style = styles[i];
    return {
      type: 'bar',
      name: s.name,
      x: [...options.categories],
      y: values,
      marker: {
        color: style.color,
        ...(style.pattern ? { pattern: { shape: style.pattern, fgcolor: 'white', fillmode: 'overlay' } } : {}),
      },
      ...(showValues
        ? {
            text: values.map((v) => (v === null ? '' : formatValue(v))),
            textposition: options.stacked ? 'inside' : 'outside',
            cliponaxis: false,
          }
        : {}),
      hovertemplate: `${plain(s.name)}<br>%{x}<br>${plain(options.yTitle)}: %{y:.4g}<extra></extra>`,
    };
  });
  const notes = failureLayout({
    failures: options.failures ?? [],
    colorOf: (name) => styles[options.series.findIndex((s) => s.name === name)]?.color,
    xOf: (at) => at,
    slotOf: (name) => ({ index: options.series.findIndex((s) => s.name === name), count: options.series.length }),
    categoryCount: options.categories.length,
    width,
    height: options.height ?? DEFAULT_HEIGHT,
  });
  const base = baseLayout(options.title, notes.height);
  const layout = {
    ...base,
    ...notes.layout(base),
    barmode: options.stacked ? 'stack' : 'group',
    xaxis: { ...axis(options.xTitle ?? '', false), type: 'category', showgrid: false, zeroline: false },
    yaxis: axis(options.yTitle, logY),
    uniformtext: { minsize: 8, mode: 'hide' },
  };
  return finish(options.title, data, layout, width, notes.height);
}

/** A bar label: three significant digits, no exponent for the times ipc-lab shows. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000 || abs < 0.001) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

/** The MIME type of a figure's plotly JSON, which JupyterLab's plotly renderer reads. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** The figure as plotly's own JSON (what `PLOTLY_MIME` carries). */
export function plotlyJson(fig: FigureSpec): { data: PlotlyObject[]; layout: PlotlyObject; config: PlotlyObject } {
  return { data: fig.data, layout: { ...fig.layout, width: fig.width, height: fig.height }, config: fig.config };
}
