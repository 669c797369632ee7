/**
 * One fixed look per name in every figure of every notebook: a transport, a runtime, a codec, a
 * phase or a payload is drawn in the same colour wherever it appears, so a reader who learnt
 * "pipe is vermillion" in one notebook reads the next at a glance.
 *
 * The hues are Okabe & Ito's colour-blind-safe set (OI: Okabe M., Ito K., "Color Universal
 * Design", 2008) with Paul Tol's muted and light schemes (Tol: "Colour Schemes",
 * SRON/EPS/TN/09-002) for the rest. Transports come in method families: the process and thread
 * variants of one method (and `ipc`/`ipc-json`, `tcp`/`unix`) share a hue, the variant lighter or
 * darker, drawn with a dotted line and an open marker, so the pair reads as one method even where
 * colour vision cannot tell the two shades apart.
 */
import { CODEC_NAMES, type CodecName, type PayloadKind, type Runtime } from '../model/types';

/** A plotly line dash. */
export type Dash = 'solid' | 'dot' | 'dash' | 'dashdot' | 'longdash';

/** How a series is drawn: its colour (`#rrggbb`), its line dash and marker, and a bar's fill pattern. */
export interface SeriesStyle {
  color: string;
  dash: Dash;
  /** A plotly marker symbol, e.g. `circle`, `circle-open`, `square`. */
  symbol: string;
  /** A plotly bar pattern shape: `''` for solid bars, `/` for a variant. */
  pattern: '' | '/' | '.';
}

/** A base series' look: solid line, filled marker, solid bar. */
export const SOLID: Omit<SeriesStyle, 'color'> = { dash: 'solid', symbol: 'circle', pattern: '' };
/** The second member of a method family (a thread variant, `ipc-json`, `unix`). */
const VARIANT: Omit<SeriesStyle, 'color'> = { dash: 'dot', symbol: 'circle-open', pattern: '/' };

/**
 * Every transport id of the catalog (Node's and CPython's share ids for the same method) with its
 * colour, by family: the base member (the process variant) first, then its thread or format variant.
 */
export const TRANSPORT_FAMILIES: readonly { family: string; colors: Readonly<Record<string, string>> }[] = [
  { family: 'message port', colors: { queue: '#0072B2', transfer: '#56B4E9' } }, // OI blue, sky blue
  { family: 'pipe', colors: { pipe: '#D55E00' } }, // OI vermillion
  { family: 'ipc channel', colors: { ipc: '#AA4499', 'ipc-json': '#CC79A7' } }, // Tol muted purple, OI reddish purple
  { family: 'shared array', colors: { 'shared-array': '#117733', 'shared-array-thread': '#009E73' } }, // Tol muted green, OI bluish green
  { family: 'manager', colors: { manager: '#000000' } }, // OI black
  { family: 'raw array', colors: { 'raw-array': '#E69F00', 'raw-array-thread': '#EECC66' } }, // OI orange, Tol medium yellow
  { family: 'file', colors: { file: '#999933' } }, // Tol muted olive
  { family: 'socket', colors: { tcp: '#332288', unix: '#8877CC' } }, // Tol muted indigo, a lighter indigo
  { family: 'ring buffer', colors: { ring: '#543005', 'ring-thread': '#8C510A' } }, // BrBG's two darkest browns
  { family: 'hand-over', colors: { handoff: '#EE3377', 'handoff-name': '#FFB3C6' } }, // Tol vibrant magenta, a light pink
  { family: 'shared memory (CPython 3.8)', colors: { 'shared-memory': '#BBCC33' } }, // Tol light lime
];

/** Each transport id's family and style (checked for distance in test/unit/palette.test.ts). */
const TRANSPORTS = new Map(
  TRANSPORT_FAMILIES.flatMap(({ family, colors }) =>
    Object.entries(colors).map(([id, color], i) => [id, { family, style: { color, ...(i === 0 ? SOLID : VARIANT) } }] as const),
  ),
);

/** A colour (`#rrggbb`) per name. */
type Colors<K extends string> = Readonly<Record<K, string>>;

/** Runtimes: Node's green, Bun's orange, Deno's purple, Python's blue (OI), and grey for the article's published numbers. */
export const RUNTIME_COLORS: Colors<Runtime | 'article'> = {
  node: '#009E73',
  bun: '#E69F00',
  deno: '#CC79A7',
  cpython: '#0072B2',
  article: '#555555',
};

/** How figures, tables and sentences name each runtime. */
export const RUNTIME_NAMES: Readonly<Record<Runtime, string>> = { node: 'Node.js', bun: 'Bun', deno: 'Deno', cpython: 'CPython' };

/** One colour per codec of lib/model/types.ts CODEC_NAMES. */
export const CODEC_COLORS: Colors<CodecName> = {
  v8: '#0072B2',
  json: '#E69F00',
  raw: '#009E73',
  msgpackr: '#CC79A7',
  packed: '#D55E00',
  clone: '#56B4E9',
  none: '#999999',
  pickle: '#332288',
  arrow: '#882255',
};

/** The phases of a transfer, as the figures name them. */
export const PHASE_COLORS: Colors<string> = { encode: '#E69F00', send: '#0072B2', receive: '#009E73', decode: '#CC79A7', total: '#444444' };

/** The payloads, under their codes and their figure labels. */
const PAYLOAD_COLORS: Colors<PayloadKind | 'Int32Array'> = {
  list: '#D55E00',
  int32: '#0072B2',
  Int32Array: '#0072B2',
  bytes: '#009E73',
  object: '#CC79A7',
};

/** Line dash per phase in figures that show several phases of one series (send dotted, total solid). */
export const PHASE_DASH: Readonly<Record<string, Dash>> = {
  encode: 'dashdot',
  send: 'dot',
  receive: 'dash',
  decode: 'longdash',
  total: 'solid',
};

/** Marker per payload in line figures that mix payloads. */
export const PAYLOAD_SYMBOL: Readonly<Record<string, string>> = { list: 'circle', int32: 'square', Int32Array: 'square' };

/**
 * The limits beside the message patterns (lib/measure/message-limits): the C floor in black and
 * near-black, dashed; bare Node (the minimal loop) in greys, dotted. Each channel has a fixed shade
 * per source and an open marker, so the limits of several channels can share a figure. The v8
 * loops sit in their own figure, beside the streams in v8 (message-figures.ts).
 */
const LIMIT_SOURCES = { c: { color: '#000000', dash: 'dash' }, 'node-minimal': { color: '#777777', dash: 'dot' } } as const;
/** Per channel: its shade in the C floor's series, in bare Node's, and its marker ('' = the source's colour). */
const LIMIT_CHANNELS: Readonly<Record<string, readonly [c: string, nodeMinimal: string, symbol: string]>> = {
  pipe: ['#000000', '#707070', 'diamond-open'],
  unix: ['#383838', '#8C8C8C', 'square-open'],
  tcp: ['#585858', '#A8A8A8', 'triangle-up-open'],
  shm: ['#1C1C1C', '', 'star-open'],
  'pipe-v8': ['', '#707070', 'diamond-open'],
  'unix-v8': ['', '#8C8C8C', 'square-open'],
  'tcp-v8': ['', '#A8A8A8', 'triangle-up-open'],
  port: ['', '#7A7A7A', 'circle-open'],
  ipc: ['', '#707070', 'cross-open'],
  'ipc-json': ['', '#A8A8A8', 'x-open'],
};

/** The style of a limit's series: its source's dash, its channel's shade and marker. */
export function limitStyle(source: 'c' | 'node-minimal', channel: string): SeriesStyle {
  const s = LIMIT_SOURCES[source];
  if (!s) throw new Error(`limit source "${source}" has no style: valid are ${Object.keys(LIMIT_SOURCES).join(', ')}`);
  const [c, nodeMinimal, symbol] = LIMIT_CHANNELS[channel] ?? ['', '', 'diamond-open'];
  return { color: (source === 'c' ? c : nodeMinimal) || s.color, dash: s.dash, symbol, pattern: '' };
}

/** For names the palette does not know: Tol's muted and light colours, none of them a transport's. */
const FALLBACK = ['#CC6677', '#88CCEE', '#44AA99', '#882255', '#DDCC77', '#77AADD', '#EE8866', '#BBCC33', '#AAAA00', '#FFAABB'];

/** The style of a transport id; throws for an id the catalog does not have. */
export function transportStyle(id: string): SeriesStyle {
  const known = TRANSPORTS.get(id);
  if (!known) throw new Error(`transport "${id}" has no colour: valid are ${[...TRANSPORTS.keys()].join(', ')}`);
  return { ...known.style };
}

/** The family a transport id belongs to (e.g. `raw array` for `raw-array-thread`), or undefined. */
export function transportFamily(id: string): string | undefined {
  return TRANSPORTS.get(id)?.family;
}

/** Every name `knownStyle` answers for, by kind; the kinds share no name. */
export const KNOWN_NAMES: Readonly<Record<'transport' | 'runtime' | 'codec' | 'phase' | 'payload', readonly string[]>> = {
  transport: [...TRANSPORTS.keys()],
  runtime: Object.keys(RUNTIME_COLORS),
  codec: CODEC_NAMES,
  phase: Object.keys(PHASE_COLORS),
  payload: Object.keys(PAYLOAD_COLORS),
};

/** The style of a name any figure may use as a series (see KNOWN_NAMES), or undefined. */
export function knownStyle(name: string): SeriesStyle | undefined {
  if (TRANSPORTS.has(name)) return transportStyle(name);
  const color =
    RUNTIME_COLORS[name as Runtime] ?? CODEC_COLORS[name as CodecName] ?? PHASE_COLORS[name] ?? PAYLOAD_COLORS[name as PayloadKind];
  return color ? { ...SOLID, color, dash: name === 'article' ? 'dash' : 'solid' } : undefined;
}

/**
 * A transport carrying another codec than its analog (`pipe/raw`): a darker shade of the
 * transport's colour, dashed, with its own marker, so it reads as the same channel carrying
 * different bytes.
 */
export function codecVariantStyle(id: string): SeriesStyle {
  return { color: shadesOf(transportStyle(id).color, 3)[0], dash: 'dash', symbol: 'diamond', pattern: '.' };
}

/**
 * A colour for a name the palette does not know: picked by the name's hash (FNV-1a, so the same
 * name gets the same colour in every figure) among Tol's colours, skipping any already `used` in
 * the figure; if all are taken, a shade of one of them.
 */
export function fallbackColor(name: string, used: ReadonlySet<string>): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  const start = hash % FALLBACK.length;
  const free = FALLBACK.map((_, i) => FALLBACK[(start + i) % FALLBACK.length]).find((c) => !used.has(c));
  return free ?? unusedShade(FALLBACK[start], used);
}

/** The first of a colour's shades (darker, then lighter, in growing steps) that is not in `used`. */
function unusedShade(color: string, used: ReadonlySet<string>): string {
  for (let step = 1; step < 40; step++) {
    const shade = withLightness(color, toLab(color)[0] + (step % 2 === 1 ? -1 : 1) * 6 * Math.ceil(step / 2));
    if (!used.has(shade)) return shade;
  }
  throw new Error(`no unused shade of ${color} is left among ${used.size} colours`);
}

/**
 * `n` shades of one hue, darkest first, spread over ±24 of CIELAB lightness around the colour
 * (kept within 18…76, so that none is near-black or too pale on white): the series of one family.
 */
export function shadesOf(color: string, n: number): string[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`shadesOf: n must be a whole number ≥ 1, not ${n}`);
  if (n === 1) return [color];
  const l = toLab(color)[0];
  const [low, high] = [Math.max(18, l - 24), Math.min(76, l + 24)];
  return Array.from({ length: n }, (_, k) => withLightness(color, low + ((high - low) * k) / (n - 1)));
}

/**
 * The colours of a figure's series, in order: each series' own colour if given, else its known
 * colour, else a fallback. A colour already taken by an earlier series is replaced by an unused
 * shade of it, so no two series of one figure share a colour.
 */
export function distinctColors(series: readonly { name: string; color?: string }[]): string[] {
  const wanted = series.map((s) => (s.color ?? knownStyle(s.name)?.color)?.toUpperCase());
  // Known colours are reserved first, so a fallback or a shade never takes one a later series needs.
  const reserved = wanted.filter((c): c is string => c !== undefined);
  const used = new Set<string>();
  return series.map((s, i) => {
    const own = wanted[i];
    const taken = new Set([...reserved, ...used]);
    const color = own === undefined ? fallbackColor(s.name, taken) : used.has(own) ? unusedShade(own, taken) : own;
    used.add(color);
    return color;
  });
}

// CIELAB (D65 white): shades keep their hue by changing only the lightness L*.
type Lab = [l: number, a: number, b: number];
const WHITE = [0.95047, 1, 1.08883];
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const fromLinear = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
const fInverse = (t: number) => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));

/** A `#rrggbb` colour in CIELAB. */
export function toLab(color: string): Lab {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) throw new Error(`colour "${color}" is not valid: expected #rrggbb`);
  const [r, g, b] = [0, 2, 4].map((i) => toLinear(parseInt(m[1].slice(i, i + 2), 16) / 255));
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / WHITE[0];
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / WHITE[2];
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** A CIELAB colour as `#RRGGBB`, clipped into sRGB. */
export function fromLab([l, a, bStar]: Lab): string {
  const fy = (l + 16) / 116;
  const [x, y, z] = [WHITE[0] * fInverse(fy + a / 500), fInverse(fy), WHITE[2] * fInverse(fy - bStar / 200)];
  const rgb = [3.2406 * x - 1.5372 * y - 0.4986 * z, -0.9689 * x + 1.8758 * y + 0.0415 * z, 0.0557 * x - 0.204 * y + 1.057 * z];
  const hex = rgb.map((c) =>
    Math.round(Math.min(1, Math.max(0, fromLinear(c))) * 255)
      .toString(16)
      .padStart(2, '0'),
  );
  return `#${hex.join('').toUpperCase()}`;
}

/** CIE76 colour difference: the Euclidean distance in CIELAB (about 2.3 is just noticeable). */
export function deltaE(a: string, b: string): number {
  const [p, q] = [toLab(a), toLab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

function withLightness(color: string, lightness: number): string {
  const [, a, b] = toLab(color);
  return fromLab([Math.min(96, Math.max(4, lightness)), a, b]);
}
