/**
 * Every plotly figure of ipc-lab is built here, as plain data (a plotly.js figure spec), so the
 * notebooks, the static renderer (lib/notebook/render.ts) and the display bundle (lib/notebook/display.ts) all
 * draw the same thing. `df.plot()` of danfojs does not work in Node, and a figure as data is
 * easy to test.
 */
import { createHash } from 'node:crypto';

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
}

/** One group member of a grouped bar chart: a value per category, `null` where there is none. */
export interface BarSeries {
  name: string;
  values: readonly (number | null)[];
}

export interface LineFigureOptions {
  title: string;
  /** Axis titles carry their units, e.g. `list length (elements)`, `time (s)`. */
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  series: readonly LineSeries[];
  /** Dashed lines for series whose name matches (e.g. the article's published figures). */
  dashed?: (name: string) => boolean;
  width?: number;
  height?: number;
}

export interface GroupedBarFigureOptions {
  title: string;
  categories: readonly string[];
  xTitle?: string;
  /** With its unit, e.g. `time (s)`. */
  yTitle: string;
  logY?: boolean;
  series: readonly BarSeries[];
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

/** Escape text that plotly would read as a hover template placeholder. */
function plain(text: string): string {
  return text.replace(/%\{/g, '%\u200b{');
}

function finish(title: string, data: PlotlyObject[], layout: PlotlyObject, width: number, height: number): FigureSpec {
  const config: PlotlyObject = { responsive: true, displaylogo: false };
  const id = `fig-${createHash('sha1').update(JSON.stringify({ data, layout, width, height })).digest('hex').slice(0, 12)}`;
  return { id, title, data, layout, config, width, height };
}

/** Lines with markers, one per series; log axes on request (values ≤ 0 become gaps there). */
export function lineFigure(options: LineFigureOptions): FigureSpec {
  const logX = options.logX ?? false;
  const logY = options.logY ?? false;
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const data = options.series.map((s): PlotlyObject => {
    if (s.x.length !== s.y.length) {
      throw new Error(`lineFigure: series ${JSON.stringify(s.name)} has ${s.x.length} x values and ${s.y.length} y values`);
    }
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: s.name,
      x: forAxis(s.x, logX),
      y: forAxis(s.y, logY),
      connectgaps: false,
      line: options.dashed?.(s.name) ? { dash: 'dash' } : {},
      hovertemplate: `${plain(s.name)}<br>${plain(options.xTitle)}: %{x}<br>${plain(options.yTitle)}: %{y:.4g}<extra></extra>`,
    };
  });
  const layout = {
    ...baseLayout(options.title, height),
    xaxis: axis(options.xTitle, logX),
    yaxis: axis(options.yTitle, logY),
  };
  return finish(options.title, data, layout, width, height);
}

/** Bars grouped by category, one colour per series; a null value leaves its slot empty. */
export function groupedBarFigure(options: GroupedBarFigureOptions): FigureSpec {
  const logY = options.logY ?? false;
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const showValues = options.showValues ?? true;
  const data = options.series.map((s): PlotlyObject => {
    if (s.values.length !== options.categories.length) {
      throw new Error(
        `groupedBarFigure: series ${JSON.stringify(s.name)} has ${s.values.length} values for ${options.categories.length} categories`,
      );
    }
    const values = forAxis(s.values, logY);
    return {
      type: 'bar',
      name: s.name,
      x: [...options.categories],
      y: values,
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
  const layout = {
    ...baseLayout(options.title, height),
    barmode: options.stacked ? 'stack' : 'group',
    xaxis: { ...axis(options.xTitle ?? '', false), type: 'category', showgrid: false, zeroline: false },
    yaxis: axis(options.yTitle, logY),
    uniformtext: { minsize: 8, mode: 'hide' },
  };
  return finish(options.title, data, layout, width, height);
}

/** A bar label: three significant digits, no exponent for the times ipc-lab shows. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000 || abs < 0.001) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

/** The figure as plotly's own JSON (what `application/vnd.plotly.v1+json` carries). */
export function plotlyJson(fig: FigureSpec): { data: PlotlyObject[]; layout: PlotlyObject; config: PlotlyObject } {
  return { data: fig.data, layout: { ...fig.layout, width: fig.width, height: fig.height }, config: fig.config };
}
