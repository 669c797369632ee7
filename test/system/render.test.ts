import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { after, test } from 'node:test';
import { groupedBarFigure, lineFigure } from '../../lib/notebook/figures';
import { closeRenderer, renderFigure } from '../../lib/notebook/render';
import { TYPESCRIPT_HOOK } from '../helpers/run-entry';

after(() => closeRenderer());

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chromiumTemps(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('ipc-lab-chromium-'));
}

test('renderFigure draws a real PNG of each figure in headless chromium, one browser for several figures', {
  timeout: 120_000,
}, async () => {
  const before = chromiumTemps();
  const line = lineFigure({
    title: 'Pipe: time against size',
    xTitle: 'list length (elements)',
    yTitle: 'time (s)',
    logX: true,
    logY: true,
    series: [{ name: 'send', x: [10, 1e5, 1e8], y: [0.001, 0.0109, 3.2228] }],
  });
  const bars = groupedBarFigure({ title: 'bars', categories: ['a', 'b'], yTitle: 'time (s)', series: [{ name: 's', values: [1, null] }] });
  const [a, b] = await Promise.all([renderFigure(line), renderFigure(bars)]);
  for (const image of [a, b]) {
    const png = Buffer.from(image.png, 'base64');
    assert.ok(png.subarray(0, 8).equals(PNG_MAGIC), 'PNG signature');
    // The IHDR chunk holds the size: the figure's width × height at scale 1.
    assert.equal(png.readUInt32BE(16), line.width);
    assert.equal(png.readUInt32BE(20), line.height);
    assert.deepEqual(Object.keys(image), ['png'], 'one static image, the PNG');
  }
  // Each image is its own figure's: different figures differ, the same figure draws the same.
  assert.notEqual(a.png, b.png);
  assert.equal((await renderFigure(line)).png, a.png);
  await closeRenderer();
  assert.deepEqual(
    chromiumTemps().filter((d) => !before.includes(d)),
    [],
    'the private HOME/TMPDIR is removed',
  );
  // After closing, the next figure starts a new browser.
  const again = await renderFigure(bars);
  assert.ok(Buffer.from(again.png, 'base64').subarray(0, 8).equals(PNG_MAGIC));
});

test('without chromium, rendering fails with one line saying how to install it', () => {
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const script = `require('./lib/notebook/render').renderFigure(require('./lib/notebook/figures').lineFigure({ title: 't', xTitle: 'x', yTitle: 'y', series: [] }))
    .then(() => console.log('rendered?'), (e) => console.log(e.message));`;
  const run = spawnSync(process.execPath, ['-r', TYPESCRIPT_HOOK, '-e', script], {
    cwd: require('node:path').join(__dirname, '..', '..'),
    env: { ...process.env, IPC_LAB_CHROMIUM: '/nonexistent/chromium' },
    encoding: 'utf8',
  });
  assert.equal(run.stdout.trim().split('\n').length, 1);
  assert.match(run.stdout, /headless chromium not found at \/nonexistent\/chromium: install it with `apt-get install -y chromium`/);
});
