/**
 * Every place on disk ipc-lab knows by name, defined once. The repository root is found by
 * walking up to this project's package.json, so the same answer comes from lib/ (ts-node), from
 * build/lib/ (the compiled peers) and from tools/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The nearest ancestor of `start` holding this project's package.json. */
export function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && /"name":\s*"ipc-lab"/.test(fs.readFileSync(manifest, 'utf8'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}

/** The repository: the peers' working directory, the base of every relative path shown to users. */
export const REPO_ROOT = findRepoRoot(__dirname);

/** The default results directory, when IPC_LAB_RESULTS_DIR does not name another. */
export const DEFAULT_RESULTS_ROOT = path.join(REPO_ROOT, 'data', 'results');

/**
 * Where results go, for the CLI and the notebooks alike: IPC_LAB_RESULTS_DIR when set (relative
 * to the current directory), else data/results/ of this repository.
 */
export function resultsRoot(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env.IPC_LAB_RESULTS_DIR;
  return chosen && chosen.trim() !== '' ? path.resolve(chosen) : DEFAULT_RESULTS_ROOT;
}

/** The article's published figures (cited data, see data/article/README.md). */
export const ARTICLE_DATA_DIR = path.join(REPO_ROOT, 'data', 'article');

/** The N-API shared-memory addon that npm ci builds from native/. */
export const SHM_ADDON_PATH = path.join(REPO_ROOT, 'native', 'build', 'Release', 'ipc_lab_shm.node');

/** The C program that npm ci builds beside the addon (native/ipc_baseline.c): the machine's limit for moving bytes. */
export const NATIVE_BASELINE_PATH = path.join(REPO_ROOT, 'native', 'build', 'Release', 'ipc_baseline');

/** The C program that npm ci builds beside it (native/msg_baseline.c): the machine's floor for round trips and message rate. */
export const MSG_BASELINE_PATH = path.join(REPO_ROOT, 'native', 'build', 'Release', 'msg_baseline');

/** The CPython program that runs the article's seven methods. */
export const ARTICLE_METHODS_PY = path.join(REPO_ROOT, 'lib', 'measure', 'cpython', 'article_methods.py');

/**
 * Python packages the CPython peers need beyond numpy (pyarrow, for the arrow codec), installed by
 * tools/setup/setup.ts with pip into this directory (`pip install --target`) and put on the
 * peers' PYTHONPATH: Debian's python3 takes no pip installs of its own (PEP 668).
 */
export const CPYTHON_PACKAGES_DIR = path.join(REPO_ROOT, '.cpython-packages');

/** The CPython peer of a pair across runtimes (node:cpython, cpython:node): one role over the control channel. */
export const PAIR_PEER_PY = path.join(REPO_ROOT, 'lib', 'measure', 'cpython', 'pair_peer.py');

/** Debian's Chromium, which draws the figures' static images (IPC_LAB_CHROMIUM overrides it). */
export const CHROMIUM_PATH = process.env.IPC_LAB_CHROMIUM || '/usr/bin/chromium';

/** The one minified plotly bundle (plotly.js-dist-min), shared by every exported HTML page and live notebook. */
export const PLOTLY_MIN_JS = path.join(REPO_ROOT, 'node_modules', 'plotly.js-dist-min', 'plotly.min.js');

/**
 * The full plotly bundle (plotly.js-dist, the same version unminified), which the headless
 * renderer loads once per session: size does not matter there, and an error inside plotly while
 * drawing a static image names a readable function and line.
 */
export const PLOTLY_JS = path.join(REPO_ROOT, 'node_modules', 'plotly.js-dist', 'plotly.js');

/**
 * A path as shown to a reader: relative to the repository when inside it, so that shared
 * notebooks and logs never print the machine's absolute paths.
 */
export function shownPath(target: string): string {
  const relative = path.relative(REPO_ROOT, target);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : target;
}
