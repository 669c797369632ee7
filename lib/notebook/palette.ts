/**
 * One fixed look per name in every figure of every notebook: a transport, a runtime, a codec, a
 * phase or a payload is drawn in the same colour wherever it appears, so a reader who learnt
 * "pipe is vermillion" in one notebook reads the next at a glance.
 *
 * The hues are Okabe & Ito's colour-blind-safe set (Okabe M., Ito K., "Color Universal Design",
 * 2008) with Paul Tol's muted and light schemes (Tol P., "Colour Schemes", SRON/EPS/TN/09-002) for
 * the rest. Transports come in method families: the process and thread variants of one method
 * (and `ipc`/`ipc-json`, `tcp`/`unix`) share a hue, the variant lighter or darker, drawn with a
 * dotted or dashed line and an open marker, so the pair reads as one method even where colour
 * vision cannot tell the two shades apart.
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

const SOLID: Omit<SeriesStyle, 'color'> = { dash: 'solid', symbol: 'circle', pattern: '' };
/** The second member of a method family (a thread variant, `ipc-json`, `unix`). */
const VARIANT: Omit<SeriesStyle, 'color'> = { dash: 'dot', symbol: 'circle-open', pattern: '/' };

/**
 * Every transport id of the catalog (Node's and CPython's share ids for the same method), by
 * family. The base member is the process variant; the second is its thread or format variant.
 */
export const TRANSPORT_FAMILIES: readonly { family: string; members: readonly [string, string] | readonly [string] }[] = [
  { family: 'message port', members: ['queue', 'transfer'] },
  { family: 'pipe', members: ['pipe'] },
  { family: 'ipc channel', members: ['ipc', 'ipc-json'] },
  { family: 'shared array', members: ['shared-array', 'shared-array-thread'] },
  { family: 'manager', members: ['manager'] },
  { family: 'raw array', members: ['raw-array', 'raw-array-thread'] },
  { family: 'file', members: ['file'] },
  { family: 'socket', members: ['tcp', 'unix'] },
  { family: 'ring buffer', members: ['ring', 'ring-thread'] },
  { family: 'hand-over', members: ['handoff', 'handoff-name'] },
  { family: 'shared memory (CPython 3.8)', members: ['shared-memory'] },
];

/** Transport colours: a family's members share a hue (checked for distance in test/unit/palette.test.ts). */
const TRANSPORT_COLORS: Readonly<Record<string, string>> = {
  queue: '#0072B2', // Okabe–Ito blue
  transfer: '#56B4E9', // Okabe–Ito sky blue
  pipe: '#D55E00', // Okabe–Ito vermillion
  ipc: '#AA4499', // Tol muted purple
  'ipc-json': '#CC79A7', // Okabe–Ito reddish purple
  'shared-array': '#117733', // Tol muted green
  'shared-array-thread': '#009E73', // Okabe–Ito bluish green
  manager: '#000000', // Okabe–Ito black
  'raw-array': '#E69F00', // Okabe–Ito orange
  'raw-array-thread': '#EECC66', // Tol medium yellow
  ring: '#543005', // BrBG darkest brown
  'ring-thread': '#8C510A', // BrBG brown
  file: '#999933', // Tol muted olive
  tcp: '#332288', // Tol muted indigo
  unix: '#8877CC', // a lighter indigo
  handoff: '#EE3377', // Tol vibrant magenta
  'handoff-name': '#FFB3C6', // a light pink, the hand-over's hue
  'shared-memory': '#BBCC33', // Tol light lime
};

/** Runtimes: Node's green, Bun's orange, Deno's purple, Python's blue (Okabe–Ito), and grey for the article's published numbers. */
export const RUNTIME_COLORS: Readonly<Record<Runtime | 'article', string>> = {
  node: '#009E73',
  bun: '#E69F00',
  deno: '#CC79A7',
  cpython: '#0072B2',
  article: '#555555',
};

/** How figures, tables and sentences name each runtime. */
export const RUNTIME_NAMES: Readonly<Record<Runtime, string>> = { node: 'Node.js', bun: 'Bun', deno: 'Deno', cpython: 'CPython' };

/** One colour per codec of lib/model/types.ts CODEC_NAMES. */
export const CODEC_COLORS: Readonly<Record<CodecName, string>> = {
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
export const PHASE_COLORS: Readonly<Record<string, string>> = {
  encode: '#E69F00',
  send: '#0072B2',
  receive: '#009E73',
  decode: '#CC79A7',
  total: '#444444',
};

/** The payloads, under their codes and their figure labels. */
export const PAYLOAD_COLORS: Readonly<Record<PayloadKind | 'Int32Array', string>> = {
  list: '#D55E00',
  int32: '#0072B2',
  Int32Array: '#0072B2',
  bytes: '#009E73',
  object: '#CC79A7',
};

/**
 * The limits beside the message patterns (lib/measure/message-limits): the C floor in black and
 * near-black, dashed; bare Node (the minimal loop) in greys, dotted. Each channel has its own fixed
 * shade and open marker, so the limits of several channels can share a figure and each is told by
 * its marker and legend.
 */
export const LIMIT_STYLES: Readonly<
  Record<'c' | 'node-minimal', { color: string; dash: Dash; channels: Readonly<Record<string, string>> }>
> = {
  c: { color: '#000000', dash: 'dash', channels: { pipe: '#000000', unix: '#383838', tcp: '#585858', shm: '#1C1C1C' } },
  'node-minimal': {
    color: '#777777',
    dash: 'dot',
    channels: {
      pipe: '#707070',
      unix: '#8C8C8C',
      tcp: '#A8A8A8',
      // The v8 loops sit in their own figure, beside the streams in v8 (message-figures.ts).
      'pipe-v8': '#707070',
      'unix-v8': '#8C8C8C',
      'tcp-v8': '#A8A8A8',
      port: '#7A7A7A',
      ipc: '#707070',
      'ipc-json': '#A8A8A8',
    },
  },
};

/** A limit channel's marker, the same for both sources. */
const LIMIT_SYMBOLS: Readonly<Record<string, string>> = {
  pipe: 'diamond-open',
  unix: 'square-open',
  tcp: 'triangle-up-open',
  'pipe-v8': 'diamond-open',
  'unix-v8': 'square-open',
  'tcp-v8': 'triangle-up-open',
  shm: 'star-open',
  port: 'circle-open',
  ipc: 'cross-open',
  'ipc-json': 'x-open',
};

/** The style of a limit's series: its source's dash, its channel's shade and marker (the source's colour for a channel it has no shade for). */
export function limitStyle(source: 'c' | 'node-minimal', channel: string): SeriesStyle {
  const s = LIMIT_STYLES[source];
  if (!s) throw new Error(`limit source "${source}" has no style: valid are ${Object.keys(LIMIT_STYLES).join(', ')}`);
  return { color: s.channels[channel] ?? s.color, dash: s.dash, symbol: LIMIT_SYMBOLS[channel] ?? 'diamond-open', pattern: '' };
}

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

/** For names the palette does not know: Tol's muted and light colours, none of them a transport's. */
const FALLBACK = ['#CC6677', '#88CCEE', '#44AA99', '#882255', '#DDCC77', '#77AADD', '#EE8866', '#BBCC33', '#AAAA00', '#FFAABB'];

/** The style of a transport id; throws for an id the catalog does not have. */
export function transportStyle(id: string): SeriesStyle {
  const color = TRANSPORT_COLORS[id];
  const family = TRANSPORT_FAMILIES.find((f) => f.members.includes(id));
  if (!color || !family) {
    throw new Error(`transport "${id}" has no colour: valid are ${Object.keys(TRANSPORT_COLORS).join(', ')}`);
  }
  return { color, ...(family.members[0] === id ? SOLID : VARIANT) };
}

/** The family a transport id belongs to (e.g. `raw array` for `raw-array-thread`), or undefined. */
export function transportFamily(id: string): string | undefined {
  return TRANSPORT_FAMILIES.find((f) => f.members.includes(id))?.family;
}

/**
 * The style of a name any figure may use as a series: a transport id, a runtime (or `article`), a
 * codec, a phase or a payload. Undefined for any other name. The five sets share no name.
 */
export function knownStyle(name: string): SeriesStyle | undefined {
  if (TRANSPORT_COLORS[name]) return transportStyle(name);
  // A transport with a codec other than its analog (`pipe/raw`): a darker shade of the transport,
  // dashed, with its own marker, so it reads as the same channel carrying different bytes.
  const [transport, codec] = name.split('/');
  if (codec !== undefined && TRANSPORT_COLORS[transport] && (CODEC_NAMES as readonly string[]).includes(codec)) {
    return { color: shadesOf(TRANSPORT_COLORS[transport], 3)[0], dash: 'dash', symbol: 'diamond', pattern: '.' };
  }
  const color =
    RUNTIME_COLORS[name as Runtime] ?? CODEC_COLORS[name as CodecName] ?? PHASE_COLORS[name] ?? PAYLOAD_COLORS[name as PayloadKind];
  if (!color) return undefined;
  return { ...SOLID, color, dash: name === 'article' ? 'dash' : 'solid' };
}

/** Every name `knownStyle` answers for, by kind (for tests and the README). */
export function knownNames(): Record<'transport' | 'runtime' | 'codec' | 'phase' | 'payload', string[]> {
  return {
    transport: Object.keys(TRANSPORT_COLORS),
    runtime: Object.keys(RUNTIME_COLORS),
    codec: [...CODEC_NAMES],
    phase: Object.keys(PHASE_COLORS),
    payload: Object.keys(PAYLOAD_COLORS),
  };
}

/** A small deterministic hash (FNV-1a) of a name, to pick its fallback colour. */
function hashOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A colour for a name the palette does not know: picked by the name's hash among Tol's colours,
 * skipping any colour already `used` in the figure; if all are taken, a shade of one of them.
 */
export function fallbackColor(name: string, used: ReadonlySet<string>): string {
  const start = hashOf(name) % FALLBACK.length;
  for (let i = 0; i < FALLBACK.length; i++) {
    const color = FALLBACK[(start + i) % FALLBACK.length];
    if (!used.has(color)) return color;
  }
  return unusedShade(FALLBACK[start], used);
}

/** The first of a colour's shades (darker, then lighter, in growing steps) that is not in `used`. */
export function unusedShade(color: string, used: ReadonlySet<string>): string {
  for (let step = 1; step < 40; step++) {
    const shade = withLightness(color, lightnessOf(color) + (step % 2 === 1 ? -1 : 1) * 6 * Math.ceil(step / 2));
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
  const l = lightnessOf(color);
  const low = Math.max(18, l - 24);
  const high = Math.min(76, l + 24);
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
  const reserved = new Set(wanted.filter((c): c is string => c !== undefined));
  const used = new Set<string>();
  return series.map((s, i) => {
    const own = wanted[i];
    const taken = new Set([...reserved, ...used]);
    const color = own === undefined ? fallbackColor(s.name, taken) : used.has(own) ? unusedShade(own, taken) : own;
    used.add(color);
    return color;
  });
}

// CIELAB (D65) conversions: shades keep their hue by changing only the lightness L*.

type Lab = [number, number, number];

function parseHex(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) throw new Error(`colour "${color}" is not valid: expected #rrggbb`);
  return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16)) as [number, number, number];
}

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const fromLinear = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const WHITE = [0.95047, 1, 1.08883];
const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
const fInverse = (t: number) => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));

/** A `#rrggbb` colour in CIELAB (D65 white). */
export function toLab(color: string): Lab {
  const [r, g, b] = parseHex(color).map((c) => toLinear(c / 255));
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / WHITE[0];
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / WHITE[2];
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** A CIELAB colour as `#RRGGBB`, clipped into sRGB. */
export function fromLab([l, a, bStar]: Lab): string {
  const fy = (l + 16) / 116;
  const x = WHITE[0] * fInverse(fy + a / 500);
  const y = fInverse(fy);
  const z = WHITE[2] * fInverse(fy - bStar / 200);
  const rgb = [3.2406 * x - 1.5372 * y - 0.4986 * z, -0.9689 * x + 1.8758 * y + 0.0415 * z, 0.0557 * x - 0.204 * y + 1.057 * z];
  return `#${rgb
    .map((c) => Math.round(Math.min(1, Math.max(0, fromLinear(c))) * 255))
    .map((c) => c.toString(16).padStart(2, '0').toUpperCase())
    .join('')}`;
}

/** CIE76 colour difference: the Euclidean distance in CIELAB (about 2.3 is just noticeable). */
export function deltaE(a: string, b: string): number {
  const [p, q] = [toLab(a), toLab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

function lightnessOf(color: string): number {
  return toLab(color)[0];
}

function withLightness(color: string, lightness: number): string {
  const [, a, b] = toLab(color);
  return fromLab([Math.min(96, Math.max(4, lightness)), a, b]);
}
