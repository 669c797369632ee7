import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatBytes,
  formatBytesPerSecond,
  formatCount,
  formatRate,
  formatRatio,
  formatSeconds,
  formatSize,
  MISSING,
  machineLine,
  plural,
  roundSignificant,
  shortCommit,
} from '../../lib/model/format';
import { unique } from '../../lib/model/lists';
import { testDescription } from '../helpers/run-description';

test('times: three significant digits in the unit that fits, from ns to min', () => {
  assert.deepEqual([8.031, 0.001476, 0.00068, 2.5e-8, 12.5e-3, 5e-3, 42, 90, 3600].map(formatSeconds), [
    '8.03 s',
    '1.48 ms',
    '680 µs',
    '25.0 ns',
    '12.5 ms',
    '5.00 ms',
    '42.0 s',
    '1.50 min',
    '60.0 min',
  ]);
});

test('times: rounding decides the unit (999.6 ms is 1.00 s, 59.999 s is 1.00 min); 0 and missing values', () => {
  assert.equal(formatSeconds(0.9996), '1.00 s');
  assert.equal(formatSeconds(0.0009996), '1.00 ms');
  assert.equal(formatSeconds(59.999), '1.00 min');
  assert.equal(formatSeconds(0.99949), '999 ms');
  assert.equal(formatSeconds(0), '0 s');
  assert.equal(formatSeconds(1e-10), '0.100 ns');
  assert.equal(formatSeconds(1e5), '1670 min');
  for (const missing of [null, undefined, Number.NaN]) assert.equal(formatSeconds(missing), MISSING);
  assert.equal(MISSING, '–');
});

test('bytes: whole units as written, exact below 1 MiB, three significant digits above', () => {
  assert.deepEqual([0, 8, 64, 1024, 65536, 1048576, 1500, 1023, 24 * 2 ** 30, 1536 * 2 ** 20].map(formatBytes), [
    '0 B',
    '8 B',
    '64 B',
    '1 KiB',
    '64 KiB',
    '1 MiB',
    '1500 B',
    '1023 B',
    '24 GiB',
    '1.50 GiB',
  ]);
  // 4e8 is a whole 390625 KiB, but nobody writes it so: 381 MiB.
  assert.equal(formatBytes(4e8), '381 MiB');
  assert.equal(formatBytes(40_000_064), '38.1 MiB');
  assert.equal(formatBytes(2 ** 20 + 1), '1.00 MiB');
  assert.equal(formatBytes(null), MISSING);
});

test('rates: bytes per second always scaled; counts per second whole below 10^4, then k, M, G', () => {
  assert.equal(formatBytesPerSecond(3.2e6), '3.05 MiB/s');
  assert.equal(formatBytesPerSecond(512), '512 B/s');
  assert.equal(formatBytesPerSecond(0), '0 B/s');
  assert.equal(formatBytesPerSecond(null), MISSING);
  assert.deepEqual([0, 1, 9999, 9999.6, 12_345, 45_000, 40_960, 999_500, 1_234_567, 2.5e9].map(formatCount), [
    '0',
    '1',
    '9999',
    '10k',
    '12.3k',
    '45k',
    '41k',
    '1M',
    '1.23M',
    '2.5G',
  ]);
  assert.equal(formatRate(45_000, 'messages'), '45k messages/s');
  assert.equal(formatRate(50_000), '50k/s');
  assert.equal(formatRate(null, 'messages'), MISSING);
});

test('sizes in elements: powers of ten as 1eN, anything else in full', () => {
  assert.deepEqual([1, 10, 1000, 1e8, 12_345, 5e7].map(formatSize), ['1', '1e1', '1e3', '1e8', '12345', '50000000']);
});

test('ratios: two decimals below 10, whole from 10 (9.996 rounds to 10×)', () => {
  assert.deepEqual([1.234, 0.5, 9.994, 9.996, 12.8, 1283.4].map(formatRatio), ['1.23×', '0.50×', '9.99×', '10×', '13×', '1283×']);
  assert.equal(formatRatio(undefined), MISSING);
});

test('significant digits as numbers, for table cells', () => {
  assert.equal(roundSignificant(0.0123456), 0.0123);
  assert.equal(roundSignificant(123456), 123000);
  assert.equal(roundSignificant(0.0123456, 2), 0.012);
  assert.equal(roundSignificant(null), null);
  assert.equal(roundSignificant(Number.POSITIVE_INFINITY), null);
});

test('plurals: one word for 1, the plural for 0 and 2, an irregular plural when given', () => {
  assert.equal(plural(1, 'transfer'), '1 transfer');
  assert.equal(plural(2, 'transfer'), '2 transfers');
  assert.equal(plural(0, 'transfer'), '0 transfers');
  assert.equal(plural(1, 'interleaved repeat'), '1 interleaved repeat');
  assert.equal(plural(3, 'body', 'bodies'), '3 bodies');
});

const description = testDescription({ cpuModel: ' Test CPU ', memoryBytes: 25_165_824_000 });

test('the machine line: CPU, cores, memory, OS, Node and V8, Python when it ran, ipc-lab and its commit', () => {
  assert.equal(
    machineLine(description),
    'Test CPU, 2 cores, 23.4 GiB, Linux 6.1.0 x64, Node 20.20.2 (V8 11.3), ipc-lab 0.1.0 @ 46ae1bf0a1b2',
  );
  assert.match(machineLine({ ...description, python: '3.11.2', cores: 1 }), /^Test CPU, 1 core, .*\(V8 11\.3\), Python 3\.11\.2, ipc-lab/);
  assert.equal(shortCommit(`${'a'.repeat(40)}-dirty`), 'aaaaaaaaaaaa-dirty');
  assert.equal(shortCommit('unknown'), 'unknown');
});

test('unique keeps the first of each value, in order', () => {
  assert.deepEqual(unique(['pipe', 'tcp', 'pipe', 'file', 'tcp']), ['pipe', 'tcp', 'file']);
  assert.deepEqual(unique([3, 1, 3]), [3, 1]);
});
