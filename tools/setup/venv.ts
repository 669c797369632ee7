import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathPython, probe, run, SetupError, shown } from './base';
import { JUPYTER, jupyterEnv, PYTHON, REQUIREMENTS, RUFF, VENV_DIR, VENV_STAMP } from './paths';

/** Jupyter and ruff from pip (setup.ts): the project's venv `.venv/`, installed from the pinned requirements. */

/** The oldest Python the pinned JupyterLab 4.6 and Notebook 7.6 install on. */
const MIN_PYTHON: readonly [number, number] = [3, 10];
/** Where pip's output goes (it is long, and full of retries when an index is unreachable). */
const PIP_LOG = path.join(VENV_DIR, 'ipc-lab-pip.log');

/** A requirements file's pins, e.g. ["pyarrow==25.0.1"]: its lines without comments and blanks. */
export function pins(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/**
 * The sha256 of a requirements file's pins, as the stamps record what was installed from: only the
 * pins, so that editing a comment does not make every checkout run pip again.
 */
export function requirementsHash(file: string = REQUIREMENTS): string {
  return createHash('sha256').update(pins(file).join('\n')).digest('hex');
}

/** The venv exists, runs, and was installed from the current requirements file. Reads two files, spawns nothing. */
export function venvReady(): boolean {
  try {
    return (
      fs.existsSync(PYTHON) &&
      fs.existsSync(JUPYTER) &&
      fs.existsSync(RUFF) &&
      fs.readFileSync(VENV_STAMP, 'utf8').trim() === requirementsHash()
    );
  } catch {
    return false;
  }
}

/** The last lines of pip's log, for an error message. */
export function pipLogTail(lines: number, log: string = PIP_LOG): string {
  try {
    return fs.readFileSync(log, 'utf8').trim().split('\n').slice(-lines).join('\n  ');
  } catch {
    return '(no log)';
  }
}

/**
 * Make `.venv/` with the python3 on PATH and pip-install the requirements into it, unless it is
 * ready already. A directory `.venv/` that is not a virtual environment is refused, not replaced.
 */
export function ensureVenv(log: (line: string) => void): void {
  if (venvReady()) return;
  const started = Date.now();
  if (fs.existsSync(VENV_DIR) && !fs.existsSync(path.join(VENV_DIR, 'pyvenv.cfg'))) {
    throw new SetupError(`${VENV_DIR} exists but is not a Python virtual environment (no pyvenv.cfg): move it away and rerun`);
  }
  if (!fs.existsSync(PYTHON) || !probe(PYTHON)) {
    const python = pathPython();
    const found = python ? probe(python) : null;
    if (!python || !found)
      throw new SetupError('no python3 on PATH: install Python 3.10 or newer (Debian: apt-get install python3 python3-venv)');
    const [major, minor] = found.version;
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      throw new SetupError(
        `${python} is Python ${major}.${minor}; JupyterLab 4 needs ${MIN_PYTHON.join('.')} or newer: put a newer python3 first on PATH`,
      );
    }
    log(`creating ${shown(VENV_DIR)}/ with ${python} (Python ${major}.${minor})`);
    // --clear: a venv whose interpreter is gone (e.g. a removed pyenv version) is rebuilt.
    run(python, ['-m', 'venv', '--clear', VENV_DIR]);
  }
  // A venv that is already there keeps its packages: pip adds only what the file newly pins.
  log(`installing ${shown(REQUIREMENTS)} into ${shown(VENV_DIR)}/ (up to a few minutes; pip's output: ${shown(PIP_LOG)})`);
  const out = fs.openSync(PIP_LOG, 'w');
  // Short retries: an index that is unreachable (an offline mirror's fallback to PyPI) otherwise
  // costs minutes of back-off per package. No cache: pip's cache would be written in the home.
  const pip = spawnSync(
    PYTHON,
    ['-m', 'pip', 'install', '--retries', '1', '--timeout', '15', '--no-cache-dir', '--disable-pip-version-check', '-r', REQUIREMENTS],
    { stdio: ['ignore', out, out], env: jupyterEnv() },
  );
  fs.closeSync(out);
  if (pip.status !== 0) {
    throw new SetupError(
      `pip install -r ${shown(REQUIREMENTS)} failed (${pip.error?.message ?? `status ${pip.status}`}); last lines of ${shown(PIP_LOG)}:\n  ${pipLogTail(15)}`,
    );
  }
  const check = spawnSync(PYTHON, ['-c', 'import jupyterlab, notebook, nbconvert, nbclient, nbformat, plotly'], { encoding: 'utf8' });
  if (check.status !== 0) throw new SetupError(`the venv's Python cannot import Jupyter after pip install: ${check.stderr.trim()}`);
  const ruff = spawnSync(RUFF, ['--version'], { encoding: 'utf8' });
  if (ruff.status !== 0) {
    throw new SetupError(`${shown(RUFF)} does not run after pip install: ${ruff.error?.message ?? (ruff.stderr ?? '').trim()}`);
  }
  fs.writeFileSync(VENV_STAMP, `${requirementsHash()}\n`);
  log(`${shown(VENV_DIR)}/ ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
