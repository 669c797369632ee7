import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allTransportIds, NODE_TRANSPORTS } from '../../lib/model/catalog';
import { CODEC_NAMES, RUNTIMES } from '../../lib/model/types';
import {
  CODEC_COLORS,
  codecVariantStyle,
  deltaE,
  distinctColors,
  fallbackColor,
  fromLab,
  KNOWN_NAMES,
  knownStyle,
  RUNTIME_COLORS,
  shadesOf,
  TRANSPORT_FAMILIES,
  toLab,
  transportFamily,
  transportStyle,
} from '../../lib/notebook/palette';

/** The hue angle (degrees) of a colour in CIELAB. */
const hue = (color: string) => {
  const [, a, b] = toLab(color);
  return ((Math.atan2(b, a) * 180) / Math.PI + 360) % 360;
};
const hueGap = (x: string, y: string) => {
  const d = Math.abs(hue(x) - hue(y));
  return Math.min(d, 360 - d);
};
const pairs = <T>(items: readonly T[]) => items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as const));

test('CIELAB conversions: white, black, sRGB red, and a round trip of every palette colour', () => {
  assert.deepEqual(
    toLab('#FFFFFF').map((v) => Math.round(v) + 0),
    [100, 0, 0],
  );
  assert.deepEqual(
    toLab('#000000').map((v) => Math.round(v) + 0),
    [0, 0, 0],
  );
  const red = toLab('#FF0000');
  assert.ok(Math.abs(red[0] - 53.24) < 0.1 && Math.abs(red[1] - 80.09) < 0.2 && Math.abs(red[2] - 67.2) < 0.2, `red is ${red}`);
  for (const id of allTransportIds()) assert.equal(fromLab(toLab(transportStyle(id).color)), transportStyle(id).color);
  assert.throws(() => toLab('red'), /colour "red" is not valid: expected #rrggbb/);
});

test('every transport of the catalog (Node and CPython) has its own colour, far from every other', () => {
  const ids = allTransportIds();
  assert.equal(ids.length, 18);
  const colors = ids.map((id) => transportStyle(id).color);
  assert.equal(new Set(colors).size, ids.length, 'no two transports share a colour');
  for (const [a, b] of pairs(ids)) {
    const d = deltaE(transportStyle(a).color, transportStyle(b).color);
    // CIE76 ≥ 20: two lines side by side are told apart at a glance (2.3 is just noticeable).
    assert.ok(d >= 20, `${a} and ${b} are only ΔE ${d.toFixed(1)} apart`);
  }
  assert.throws(() => transportStyle('carrier-pigeon'), /transport "carrier-pigeon" has no colour: valid are queue, transfer, pipe/);
});

test('the process and thread variants of a method are one family: a close hue, a dotted line and an open marker', () => {
  const related = [
    ['raw-array', 'raw-array-thread'],
    ['shared-array', 'shared-array-thread'],
    ['queue', 'transfer'],
    ['ipc', 'ipc-json'],
    ['tcp', 'unix'],
  ] as const;
  for (const [base, variant] of related) {
    assert.equal(transportFamily(base), transportFamily(variant), `${base} and ${variant} in one family`);
    const gap = hueGap(transportStyle(base).color, transportStyle(variant).color);
    assert.ok(gap < 30, `${base} and ${variant} are ${gap.toFixed(0)}° of hue apart`);
    assert.equal(transportStyle(base).dash, 'solid');
    assert.equal(transportStyle(variant).dash, 'dot');
    assert.equal(transportStyle(variant).symbol, 'circle-open');
  }
  // Every thread transport whose method also runs between processes is that method's variant.
  for (const t of NODE_TRANSPORTS.filter((t) => t.peers === 'threads' && t.articleMethod)) {
    const process = NODE_TRANSPORTS.find((p) => p.articleMethod === t.articleMethod && p.peers === 'processes');
    if (process) assert.equal(transportFamily(t.id), transportFamily(process.id), `${t.id} with ${process.id}`);
  }
  // Families of different methods have different hues: the nearest two are far apart.
  const bases = TRANSPORT_FAMILIES.map((f) => transportStyle(Object.keys(f.colors)[0]).color).filter((c) => c !== '#000000');
  for (const [a, b] of pairs(bases)) assert.ok(deltaE(a, b) >= 25, `family colours ${a} and ${b} too close`);
});

test('runtimes and codecs: one colour each, distinct within their kind', () => {
  const runtimes = [...RUNTIMES, 'article'] as const;
  assert.equal(new Set(runtimes.map((r) => RUNTIME_COLORS[r])).size, runtimes.length);
  assert.deepEqual(Object.keys(CODEC_COLORS).sort(), [...CODEC_NAMES].sort(), 'every codec of CODEC_NAMES has a colour');
  assert.equal(new Set(Object.values(CODEC_COLORS)).size, CODEC_NAMES.length);
  assert.equal(knownStyle('article')?.dash, 'dash', "the article's published numbers are dashed");
});

test('the names the palette knows are disjoint between kinds, so a name has one colour', () => {
  const all = Object.values(KNOWN_NAMES).flat();
  assert.equal(new Set(all).size, all.length, `a name in two kinds: ${all.filter((n, i) => all.indexOf(n) !== i)}`);
  assert.equal(knownStyle('no such series'), undefined);
});

test('styles are deterministic: the same name gives the same colour in every figure', () => {
  assert.deepEqual(transportStyle('pipe'), transportStyle('pipe'));
  assert.equal(fallbackColor('my transport', new Set()), fallbackColor('my transport', new Set()));
  assert.deepEqual(distinctColors([{ name: 'x' }, { name: 'pipe' }]), distinctColors([{ name: 'x' }, { name: 'pipe' }]));
  // pipe keeps its colour whatever else is in the figure.
  assert.equal(distinctColors([{ name: 'tcp' }, { name: 'pipe' }])[1], distinctColors([{ name: 'pipe' }])[0]);
});

test('distinctColors: unknown names never take a known colour of the figure, duplicates get a shade of theirs', () => {
  const names = [...allTransportIds(), 'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda'];
  const colors = distinctColors(names.map((name) => ({ name })));
  assert.equal(new Set(colors).size, names.length, 'all distinct, even past the fallback list');
  for (const id of allTransportIds()) assert.equal(colors[names.indexOf(id)], transportStyle(id).color);
  // An unknown name first still leaves the known colours to the series that own them.
  const [unknown, queue] = distinctColors([{ name: 'zzz' }, { name: 'queue' }]);
  assert.equal(queue, transportStyle('queue').color);
  assert.notEqual(unknown, queue);
  const [a, b] = distinctColors([{ name: 'node' }, { name: 'other', color: RUNTIME_COLORS.node }]);
  assert.equal(a, RUNTIME_COLORS.node);
  assert.notEqual(b, a);
  assert.ok(hueGap(a, b) < 10, 'the duplicate becomes a shade of the same hue');
});

test('shadesOf: n distinct shades of one hue, darkest first', () => {
  const shades = shadesOf(RUNTIME_COLORS.node, 6);
  assert.equal(new Set(shades).size, 6);
  const lightness = shades.map((c) => toLab(c)[0]);
  assert.deepEqual(
    lightness,
    [...lightness].sort((x, y) => x - y),
  );
  for (const c of shades) assert.ok(hueGap(c, RUNTIME_COLORS.node) < 12, `${c} keeps the hue`);
  assert.deepEqual(shadesOf('#123456', 1), ['#123456']);
  assert.throws(() => shadesOf('#123456', 0), /n must be a whole number ≥ 1, not 0/);
});

test("a transport with another codec (pipe/raw) is a darker, dashed shade of the transport's colour", () => {
  const pipe = knownStyle('pipe');
  const raw = codecVariantStyle('pipe');
  assert.ok(pipe && raw);
  assert.notEqual(raw.color, pipe.color);
  assert.equal(raw.dash, 'dash');
  assert.equal(raw.symbol, 'diamond');
  assert.equal(knownStyle('pipe/raw'), undefined, 'a label is not parsed back into a transport and a codec');
  assert.throws(() => codecVariantStyle('nonsense'), /transport "nonsense" has no colour/);
});
