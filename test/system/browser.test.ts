/**
 * The figures of a shared notebook, checked in a real browser (headless chromium through
 * playwright-core): a COPY of a committed executed notebook — so untrusted, like a fresh clone —
 * opened in JupyterLab 4 and in Notebook 7 served by the project's own Jupyter (the venv), its
 * exported HTML page with JavaScript and without (as GitHub shows it), and a plain nbconvert export
 * (as nbviewer makes it). Every
 * figure output must be drawn: an interactive plotly plot, or the static image where a viewer runs
 * no script — never a blank. A screenshot of each view is saved in the test's temp dir (copied
 * to $IPC_LAB_SCREENSHOTS_DIR when that is set, to look at them afterwards).
 *
 * The server listens on 127.0.0.1, on a free port, with a token, in a 0700 temp dir that also holds
 * its config, runtime files and home; the dir and every process are gone when the test ends.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PLOTLY_MIME } from '../../lib/notebook/figures';
import { CHROMIUM_ARGS } from '../../lib/notebook/render';
import { exportPage } from '../../tools/notebooks/export-html';
import { jupyterArgs } from '../../tools/notebooks/open';
import { CHROMIUM_PATH, HTML_DIR, JUPYTER, jupyterEnv, NOTEBOOKS_DIR } from '../../tools/notebooks/paths';
import { Children } from '../../tools/notebooks/run-driver';
import { ensureKernel, venvReady } from '../../tools/setup/setup';

const NAME = '03-pipe';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-browser-test-'));
const dirs = {
  root: path.join(tmp, 'root'),
  config: path.join(tmp, 'jupyter-config'),
  runtime: path.join(tmp, 'jupyter-runtime'),
  home: path.join(tmp, 'home'),
  chromium: path.join(tmp, 'chromium'),
  shots: path.join(tmp, 'screenshots'),
};
const token = randomBytes(24).toString('hex');
let server: ChildProcess | null = null;
let serverLog = '';
let baseUrl = '';
let browser: Browser | null = null;

/** How many outputs of the notebook are figures (carry plotly JSON). */
function figureCount(file: string): number {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.[PLOTLY_MIME] !== undefined).length;
}

/** Start `jupyter lab` from the venv on the temp root and wait for the port it wrote to its runtime dir. */
async function startServer(): Promise<void> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // The arguments of `npm run jupyter` (open.ts), on the temp root, loopback, a free port, a token.
  const args = jupyterArgs(
    [
      '--no-browser',
      '--ip=127.0.0.1',
      '--port=0',
      `--IdentityProvider.token=${token}`,
      // No announcement toast over the notebook, and no request to the internet.
      '--LabApp.news_url=None',
      '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    ],
    { asRoot, rootDir: dirs.root },
  );
  const env = jupyterEnv({ JUPYTER_CONFIG_DIR: dirs.config, JUPYTER_RUNTIME_DIR: dirs.runtime, HOME: dirs.home });
  server = spawn(JUPYTER, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer) => {
    serverLog = (serverLog + chunk.toString()).slice(-20_000);
  };
  server.stdout?.on('data', collect);
  server.stderr?.on('data', collect);
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`jupyter lab exited with ${server.exitCode}: ${serverLog.slice(-2000)}`);
    const info = fs.readdirSync(dirs.runtime).find((f) => /^jpserver-\d+\.json$/.test(f));
    if (info) {
      const { port } = JSON.parse(fs.readFileSync(path.join(dirs.runtime, info), 'utf8')) as { port: number };
      baseUrl = `http://127.0.0.1:${port}`;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`jupyter lab did not start in 45 s: ${serverLog.slice(-2000)}`);
}

/** Shut the kernels down through the API, then the server; SIGKILL if it lingers. */
async function stopServer(): Promise<void> {
  const proc = server;
  server = null;
  if (!proc || proc.exitCode !== null) return;
  if (baseUrl) {
    const headers = { Authorization: `token ${token}` };
    try {
      const kernels = (await (await fetch(`${baseUrl}/api/kernels`, { headers })).json()) as { id: string }[];
      for (const k of kernels) await fetch(`${baseUrl}/api/kernels/${k.id}`, { method: 'DELETE', headers });
    } catch {
      // the server is already gone or broken: SIGTERM below still ends it and its kernels
    }
  }
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

before(async () => {
  assert.ok(venvReady(), 'the venv is not ready: run npx ts-node tools/setup/setup.ts');
  assert.ok(fs.existsSync(CHROMIUM_PATH), `no chromium at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  ensureKernel(() => undefined);
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { mode: 0o700 });
  fs.copyFileSync(path.join(NOTEBOOKS_DIR, `${NAME}.ipynb`), path.join(dirs.root, `${NAME}.ipynb`));
  // A fresh user is asked whether to fetch Jupyter news, in a toast over the notebook: answered no.
  const settings = path.join(dirs.config, 'lab', 'user-settings', '@jupyterlab', 'apputils-extension');
  fs.mkdirSync(settings, { recursive: true });
  fs.writeFileSync(path.join(settings, 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false' }));
  await startServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    env: { ...process.env, HOME: dirs.chromium, XDG_CONFIG_HOME: dirs.chromium, XDG_CACHE_HOME: dirs.chromium, TMPDIR: dirs.chromium },
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  await browser?.close().catch(() => undefined);
  await stopServer();
  const keep = process.env.IPC_LAB_SCREENSHOTS_DIR;
  if (keep && fs.existsSync(dirs.shots)) fs.cpSync(dirs.shots, keep, { recursive: true });
  fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(dirs.shots, `${name}.png`) });
}

/** The little of the DOM the page functions below use (the project compiles without the DOM library). */
interface PageImage {
  complete: boolean;
  naturalWidth: number;
  getBoundingClientRect(): { height: number };
}
interface PageElement {
  className: string;
  innerHTML: string;
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): ArrayLike<PageImage>;
}

/** What one figure output shows: a drawn plotly plot, a loaded image, or nothing. Runs in the page. */
function shownIn(el: PageElement): string {
  if (el.querySelector('.js-plotly-plot .main-svg, .plot-container .main-svg')) return 'plotly';
  const img = Array.from(el.querySelectorAll('img')).find((i) => i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().height > 0);
  if (img) return 'image';
  return `blank (${el.className}: ${el.innerHTML.slice(0, 200)})`;
}

/**
 * In a JupyterLab-based viewer: wait until every figure output is drawn, scrolling each into view
 * (JupyterLab renders cells lazily), and return what each one shows at first and then on hover.
 * The pip plotly package's renderer (jupyterlab-plotly) shows the bundle's PNG first and builds
 * the interactive plot when the pointer enters it, so that a notebook of many figures opens fast.
 */
async function drawnFigures(page: Page, expected: number, viewer: string): Promise<string[]> {
  // Whichever representation the viewer chose: the plotly JSON, the HTML (image inside) or an image.
  const outputs = page.locator('.jp-OutputArea-output:is(.jp-RenderedPlotly, [data-mime-type^="image/"], :has(.ipc-lab-figure))');
  const shown: string[] = [];
  for (let i = 0; i < expected; i++) {
    const output = outputs.nth(i);
    await output.scrollIntoViewIfNeeded({ timeout: 30_000 });
    await output.locator('.main-svg, img').first().waitFor({ state: 'attached', timeout: 15_000 });
    const first = await output.evaluate(shownIn);
    if (i === 0) await screenshot(page, `${viewer}-as-opened`);
    let hovered = first;
    if (first === 'image') {
      // What the pointer entering the image does (jupyterlab-plotly listens for mouseenter), sent
      // to the image itself: a real pointer lands wherever lazily rendered cells above have
      // moved it to by then. The first plot also loads plotly.js into the page: allow for it.
      await output.locator('img').first().dispatchEvent('mouseenter');
      await output
        .locator('.main-svg')
        .first()
        .waitFor({ timeout: 20_000 })
        .catch(() => undefined);
      hovered = await output.evaluate(shownIn);
    }
    shown.push(first === hovered ? first : `${first}, ${hovered} on hover`);
  }
  return shown;
}

const figures = figureCount(path.join(NOTEBOOKS_DIR, `${NAME}.ipynb`));

for (const [viewer, route] of [
  ['jupyterlab', `/lab/tree/${NAME}.ipynb`],
  ['notebook7', `/notebooks/${NAME}.ipynb`],
] as const) {
  test(`${viewer} draws every figure of an untrusted copy of ${NAME}`, { timeout: 60_000 }, async (t) => {
    assert.ok(figures >= 1, `${NAME} has figure outputs`);
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${baseUrl}${route}?token=${token}`);
      const shown = await drawnFigures(page, figures, viewer);
      await screenshot(page, viewer);
      t.diagnostic(`${viewer}: ${shown.join('; ')}`);
      assert.equal(shown.length, figures);
      for (const [i, what] of shown.entries()) assert.ok(!what.includes('blank'), `figure ${i + 1}: ${what}`);
      // The pip plotly package's renderer is trusted with the plotly JSON even in an untrusted
      // notebook: every figure is (or becomes, when the pointer enters it) an interactive plot.
      for (const [i, what] of shown.entries()) assert.match(what, /plotly/, `figure ${i + 1} is interactive`);
    } finally {
      await page.close();
    }
  });
}

/** The venv's nbconvert 7, as everything in this test runs it: in the temp dir, with its own config and home. */
const exportEnv = () => jupyterEnv({ JUPYTER_CONFIG_DIR: dirs.config, JUPYTER_RUNTIME_DIR: dirs.runtime, HOME: dirs.home });

/** The notebook exported into the temp dir as `npm run notebooks` exports it, with the shared plotly.min.js beside it. */
async function exportCopy(): Promise<string> {
  const exported = await exportPage(path.join(dirs.root, `${NAME}.ipynb`), NAME, path.join(tmp, 'html'), new Children(), exportEnv());
  assert.ok('page' in exported, 'failed' in exported ? exported.failed.output : '');
  return exported.page;
}

let freshExport: Promise<string> | null = null;
/** The fresh export, made once for the tests that look at it. */
function freshExportPage(): Promise<string> {
  freshExport ??= exportCopy();
  return freshExport;
}

for (const [which, page] of [
  ['committed', async () => path.join(HTML_DIR, `${NAME}.html`)],
  ['freshly exported', freshExportPage],
] as const) {
  test(`the ${which} page html/${NAME}.html draws every figure as an interactive plot`, { timeout: 60_000 }, async () => {
    const tab = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await tab.goto(pathToFileURL(await page()).href);
      await tab
        .locator('.ipc-lab-figure:has(.js-plotly-plot .main-svg)')
        .nth(figures - 1)
        .waitFor({ state: 'attached', timeout: 20_000 });
      await tab.locator('.ipc-lab-figure').first().scrollIntoViewIfNeeded();
      await screenshot(tab, `${which.split(' ')[0]}-html`);
      assert.equal(await tab.locator('.ipc-lab-figure').count(), figures);
      assert.equal(await tab.locator('.ipc-lab-figure img').count(), 0, 'the static images were replaced');
    } finally {
      await tab.close();
    }
  });
}

test(`without JavaScript (as GitHub shows it) the HTML rendering of ${NAME} has the static image of every figure`, {
  timeout: 60_000,
}, async () => {
  const exported = await freshExportPage();
  const context = await (browser as Browser).newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(pathToFileURL(exported).href);
    const images = page.locator('.ipc-lab-figure img');
    assert.equal(await images.count(), figures);
    await imagesDrawn(images, figures);
    await images.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'no-javascript');
    assert.equal(await page.locator('.js-plotly-plot').count(), 0, 'no script ran');
  } finally {
    await context.close();
  }
});

/**
 * A plain `jupyter nbconvert --to html` of the notebook, as nbviewer or a reader's own export makes
 * it: nbconvert shows a figure output's PNG (the notebook holds no figure HTML), with JavaScript on
 * and off.
 */
for (const javaScriptEnabled of [true, false]) {
  test(`a plain nbconvert export of ${NAME} shows every figure's image, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, {
    timeout: 60_000,
  }, async () => {
    const plainDir = path.join(tmp, 'plain-html');
    const plain = path.join(plainDir, `${NAME}.html`);
    if (!fs.existsSync(plain)) {
      const run = spawnSync(JUPYTER, ['nbconvert', '--to', 'html', '--output-dir', plainDir, path.join(dirs.root, `${NAME}.ipynb`)], {
        env: exportEnv(),
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
    }
    const context = await (browser as Browser).newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(plain).href);
      const images = page.locator('.jp-OutputArea-output img[src^="data:image/png;base64,"]');
      assert.equal(await images.count(), figures, 'one image per figure');
      await imagesDrawn(images, figures);
      await screenshot(page, `plain-html-javascript-${javaScriptEnabled ? 'on' : 'off'}`);
    } finally {
      await context.close();
    }
  });
}

/** Every image of the locator is loaded and has a size. */
async function imagesDrawn(images: ReturnType<Page['locator']>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await images.nth(i).scrollIntoViewIfNeeded();
    const width = await images.nth(i).evaluate((img: PageImage) => (img.complete ? img.naturalWidth : 0));
    assert.ok(width > 0, `figure ${i + 1}: the static image is drawn`);
  }
}

test('the server wrote nothing in its home', () => {
  assert.deepEqual(fs.readdirSync(dirs.home), []);
});
