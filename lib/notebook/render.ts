/**
 * Static images of figure specs (PNG), drawn by plotly.js in headless Debian chromium
 * through playwright-core. A viewer that runs no JavaScript (GitHub, an untrusted notebook in
 * classic Jupyter) can only show a figure as an image, and plotly can only draw in a browser.
 *
 * One browser and one page serve every figure: launching takes ≈ 0.6 s and loading plotly.js
 * into the page ≈ 2.5 s, while each figure then takes a fraction of a second. The browser closes
 * after a while without work, when `closeRenderer()` is called, and at process exit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { makePrivateDir } from '../measure/tempdir';
import { CHROMIUM_PATH, PLOTLY_JS } from '../model/paths';
import { type FigureSpec, plotlyJson } from './figures';

/** Headless chromium's flags: no sandbox (root in a container), nothing in the background that could reach the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Close the browser after this long without a figure to draw. */
const IDLE_MS = 30_000;

/** `png`: base64 (no data: prefix), a figure's one static image (see display.ts). */
export interface RenderedFigure {
  png: string;
}

interface Session {
  browser: Browser;
  page: Page;
  /** Private HOME/TMPDIR for chromium, removed when the browser closes. */
  tempDir: string;
}

let session: Promise<Session> | null = null;
/** The open browser's temp dir: removed at exit if closeRenderer was not called. */
let openDir: string | null = null;
let exitHookInstalled = false;
let idleTimer: NodeJS.Timeout | undefined;
/** Figures are drawn one after another on the one page. */
let queue: Promise<unknown> = Promise.resolve();

async function start(): Promise<Session> {
  // Debian's chromium: the browser downloads of `npx playwright install` do not work here.
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `headless chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (static figure images need it)`,
    );
  }
  // Chromium writes into $HOME/.config, $HOME/.cache and $TMPDIR even with a fresh profile:
  // point all of them at one private directory and delete it afterwards.
  const tempDir = makePrivateDir(os.tmpdir(), 'chromium');
  const xdg = { XDG_CONFIG_HOME: path.join(tempDir, '.config'), XDG_CACHE_HOME: path.join(tempDir, '.cache') };
  const env = { ...(process.env as Record<string, string>), HOME: tempDir, TMPDIR: tempDir, ...xdg };
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, env, args: CHROMIUM_ARGS });
    if (!exitHookInstalled) {
      // Registered after launch, so it runs after playwright's own exit hook has killed the
      // browser; what is left then is the temp dir.
      exitHookInstalled = true;
      process.on('exit', () => openDir && fs.rmSync(openDir, { recursive: true, force: true, maxRetries: 3 }));
    }
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: PLOTLY_JS });
    openDir = tempDir;
    return { browser, page, tempDir };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    fs.rmSync(tempDir, { recursive: true, force: true });
    throw error;
  }
}

/** Close the browser (if open) and remove its temp dir. Safe to call any time, any number of times. */
export async function closeRenderer(): Promise<void> {
  clearTimeout(idleTimer);
  const current = session;
  session = null;
  const s = await current?.catch(() => null);
  if (!s) return;
  await s.browser.close().catch(() => undefined);
  fs.rmSync(s.tempDir, { recursive: true, force: true, maxRetries: 3 });
  if (openDir === s.tempDir) openDir = null;
}

async function draw(fig: FigureSpec): Promise<RenderedFigure> {
  session ??= start().catch((error) => {
    session = null;
    throw error;
  });
  const { page } = await session;
  const figure = { ...plotlyJson(fig), config: { staticPlot: true } };
  type Plotly = { toImage(f: unknown, o: unknown): Promise<string> };
  const url = await page.evaluate(
    ({ figure, width, height }) =>
      (globalThis as unknown as { Plotly: Plotly }).Plotly.toImage(figure, { format: 'png', width, height, scale: 1 }),
    { figure, width: fig.width, height: fig.height },
  );
  const [prefix, png] = url.split(',', 2);
  if (prefix !== 'data:image/png;base64') throw new Error(`plotly returned unexpected image data for figure "${fig.title}"`);
  return { png };
}

/** The figure as a PNG (base64), at the figure's width × height. */
export function renderFigure(fig: FigureSpec): Promise<RenderedFigure> {
  const job = queue.then(() => draw(fig));
  queue = job.catch(() => undefined);
  return job.finally(() => {
    clearTimeout(idleTimer);
    // An idle browser must not keep a finished script alive; closeRenderer or exit ends it.
    idleTimer = setTimeout(() => void closeRenderer(), IDLE_MS).unref();
  });
}
