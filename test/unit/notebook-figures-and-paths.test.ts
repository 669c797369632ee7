/**
 * The executed notebooks as a reader gets them (notebooks/*.ipynb, or IPC_LAB_NOTEBOOKS_DIR for a
 * run executed elsewhere): no two series of a figure share a colour, a series named by a
 * transport, runtime, codec, phase or payload has that name's colour in every notebook, and no
 * output shows an absolute path of the machine. Reads JSON only: no Jupyter needed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, shownPath } from '../../lib/model/paths';
import { PLOTLY_MIME } from '../../lib/notebook/figures';
import { knownStyle } from '../../lib/notebook/palette';

const DIR = path.resolve(REPO_ROOT, process.env.IPC_LAB_NOTEBOOKS_DIR ?? 'notebooks');
/** The colours plotly gives traces that name none, in trace order: what a reader sees then. */
const PLOTLY_DEFAULTS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

interface Output {
  output_type: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Notebook {
  cells: { cell_type: string; outputs?: Output[] }[];
}
interface PlotlyTrace {
  name?: string;
  marker?: { color?: unknown };
  line?: { color?: unknown };
}

const notebooks = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => f.endsWith('.ipynb')) : [];
const outputsOf = (file: string) =>
  (JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Notebook).cells.flatMap((cell, cellIndex) =>
    (cell.outputs ?? []).map((output) => ({ cellIndex, output })),
  );

test(`there are executed notebooks in ${shownPath(DIR)}`, () => {
  assert.ok(notebooks.length > 0, `no .ipynb in ${DIR}: set IPC_LAB_NOTEBOOKS_DIR to a folder of executed notebooks`);
});

/** A trace's colour as drawn: its own, else plotly's default for its place. */
function drawnColor(trace: PlotlyTrace, index: number): string {
  const own = typeof trace.marker?.color === 'string' ? trace.marker.color : trace.line?.color;
  return String(typeof own === 'string' ? own : PLOTLY_DEFAULTS[index % PLOTLY_DEFAULTS.length]).toUpperCase();
}

for (const file of notebooks) {
  test(`${file}: every figure gives each series its own colour, and known names their palette colour`, () => {
    for (const { cellIndex, output } of outputsOf(file)) {
      const figure = output.data?.[PLOTLY_MIME] as { data: PlotlyTrace[]; layout: { title?: { text?: string } } } | undefined;
      if (!figure) continue;
      const where = `${file} cell ${cellIndex} "${figure.layout.title?.text ?? ''}"`;
      const colors = figure.data.map(drawnColor);
      const shared = figure.data.filter((_, i) => colors.indexOf(colors[i]) !== i).map((t) => t.name);
      assert.deepEqual(shared, [], `${where}: series sharing a colour with an earlier one: ${shared.join(', ')}`);
      figure.data.forEach((trace, i) => {
        const known = knownStyle(String(trace.name));
        if (known) assert.equal(colors[i], known.color, `${where}: series "${trace.name}" is not in its palette colour`);
      });
    }
  });

  test(`${file}: no output shows an absolute path of this machine`, () => {
    const roots = [...new Set([REPO_ROOT, os.homedir(), os.tmpdir(), '/work/', '/tmp/', '/home/', '/root/', '/Users/'])];
    for (const { cellIndex, output } of outputsOf(file)) {
      const texts: [string, string][] = [['stream', [output.text ?? ''].flat().join('')]];
      for (const [mime, value] of Object.entries(output.data ?? {})) {
        // A PNG is base64 of binary data: it cannot hold a readable path, and could match by chance.
        if (mime !== 'image/png') texts.push([mime, typeof value === 'string' ? value : JSON.stringify(value)]);
      }
      for (const [mime, raw] of texts) {
        const text = raw.replace(/data:image\/[\w+.-]+;base64,[A-Za-z0-9+/=]+/g, '');
        for (const root of roots) {
          // A path starts the text or follows a space, quote, bracket or `=`; inside a URL it is no path of this machine.
          const at = text.search(new RegExp(`(?:^|[\\s"'(\\[=\`>])${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
          assert.equal(at, -1, `${file} cell ${cellIndex} (${mime}) shows "${text.slice(Math.max(0, at), at + 60).trim()}"`);
        }
      }
    }
  });
}
