/**
 * Failed and refused transfers on a figure: a transport that could not run at a size is not a
 * silent gap. Each one gets a ✗ where its value would be (in its series' colour, its reason on
 * hover), and the figure gets a short note, right under its title, saying what failed and why —
 * in the static image too, where there is no hover. The note sits at the top because plotly
 * places the legend below the axis with margins it computes itself; a note under that would
 * depend on how many rows the legend wraps into.
 */
import { unique } from '../model/lists';
import { describeFailure } from '../model/record';
import type { TransferRecord } from '../model/types';
import type { PlotlyObject } from './figures';

/** A value a figure cannot show because its transfer failed or was refused. */
export interface FailureMark {
  /** The series without a value there (a name of the figure's series), or undefined for all of them. */
  series?: string;
  /** Where: the x value (line figures) or the category (bar figures). */
  at: string | number;
  /** How the note names `at`, e.g. `1e8 elements` (default: `at` itself). */
  atLabel?: string;
  /** Why, in one line, e.g. `refused: JSON serialization would need …` (describeFailure). */
  reason: string;
}

/** Where a mark's ✗ goes, as the figure builder knows it. */
interface MarkPlace {
  /** The x coordinate plotly wants (log10 of the value on a log axis). */
  x: string | number;
  /** A shift in px (over its series' bar in a group of bars). */
  xshift: number;
  /** Its series' colour; the note's colour when the mark is for all series. */
  color?: string;
}

/** Characters of the note per line before it wraps (12 px DejaVu Sans on an 800 px figure). */
const NOTE_CHARS_PER_LINE = 115;
const NOTE_LINE_PX = 15;
/** The note's colour: a dark red that reads as "failed" without being any series' colour. */
const FAILURE_COLOR = '#8B0000';

/**
 * The failures grouped by reason: one line of the note each, naming what failed where — by
 * series (`list at a, b`) or, where several series failed at the same places, by place
 * (`ipc-json (list, Int32Array)`), whichever has fewer names to list first.
 */
export function failureNoteLines(failures: readonly FailureMark[]): string[] {
  const byReason = new Map<string, FailureMark[]>();
  for (const f of failures) byReason.set(f.reason, [...(byReason.get(f.reason) ?? []), f]);
  return [...byReason].map(([reason, marks]) => {
    const label = (f: FailureMark) => f.atLabel ?? String(f.at);
    const series = unique(marks.map((f) => f.series ?? ''));
    const places = unique(marks.map(label));
    const bySeries = series
      .map((s) => `${s ? `${s} at ` : ''}${unique(marks.filter((f) => (f.series ?? '') === s).map(label)).join(', ')}`)
      .join('; ');
    const byPlace = places
      .map((p) => {
        const names = unique(marks.filter((f) => label(f) === p && f.series).map((f) => f.series as string));
        return names.length ? `${p} (${names.join(', ')})` : p;
      })
      .join('; ');
    return `✗ ${series.length <= places.length ? bySeries : byPlace}: ${reason}`;
  });
}

function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      out.push(current);
      current = `   ${word}`;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Escape text for plotly, which reads a few HTML tags and entities in it (not `&quot;`, unlike escapeHtml's). */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The figure's height with the note, and the layout fields that draw the marks and the note
 * (annotations, the title's subtitle, a taller top margin). Without failures: nothing changes.
 */
export function failureLayout(
  failures: readonly FailureMark[],
  placeOf: (mark: FailureMark) => MarkPlace,
  height: number,
): { height: number; layout: (base: PlotlyObject) => PlotlyObject } {
  if (failures.length === 0) return { height, layout: () => ({}) };
  const lines = failureNoteLines(failures).flatMap((l) => wrap(l, NOTE_CHARS_PER_LINE));
  const noteHeight = lines.length * NOTE_LINE_PX + 6;
  const marks = failures.map((f): PlotlyObject => {
    const { x, xshift, color } = placeOf(f);
    const font = { color: color ?? FAILURE_COLOR, size: 16 };
    const hovertext = escapeText(`${f.series ? `${f.series} at ` : ''}${f.atLabel ?? f.at}: ${f.reason}`);
    return { x, xref: 'x', y: 0, yref: 'paper', yanchor: 'bottom', xshift, text: '✗', showarrow: false, font, hovertext };
  });
  return {
    height: height + noteHeight,
    layout: (base) => ({
      title: {
        ...(base.title as PlotlyObject),
        subtitle: { text: lines.map(escapeText).join('<br>'), font: { size: 11, color: FAILURE_COLOR } },
      },
      margin: { ...(base.margin as PlotlyObject), t: (base.margin as { t: number }).t + noteHeight },
      annotations: marks,
    }),
  };
}

/**
 * One mark per place of a figure (as `where` names it) that has failed records and no ok
 * measured one: a configuration that failed once among successful repeats still has a value.
 * `where` returns null for records the figure does not show.
 */
export function failureMarks(
  records: readonly TransferRecord[],
  where: (r: TransferRecord) => Omit<FailureMark, 'reason'> | null,
): FailureMark[] {
  const key = (m: Omit<FailureMark, 'reason'>) => JSON.stringify([m.series ?? null, m.at]);
  const measured = new Set(records.flatMap((r) => (r.ok && !r.warmup ? (where(r) ?? []) : [])).map(key));
  const marks = new Map<string, FailureMark>();
  for (const r of records) {
    const m = r.ok ? null : where(r);
    if (m && !measured.has(key(m)) && !marks.has(key(m))) marks.set(key(m), { ...m, reason: describeFailure(r) });
  }
  return [...marks.values()];
}
