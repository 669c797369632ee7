/**
 * The machine's set-up: makes ready what the notebooks, the CPython peers and the Python lint need,
 * idempotently, and in a few milliseconds when everything is there (it runs before every
 * `npm test`, `npm run notebooks` and `npm run jupyter`):
 *
 * - Jupyter and ruff (the Python linter and formatter) from pip: a virtual environment `.venv/` made
 *   with the `python3` first on PATH, with the pinned tools/setup/requirements.txt installed;
 *   pip runs again in the same venv when that file changes (it adds only what is new or re-pinned).
 * - From Debian, only what pip cannot give: the venv module of Debian's python3 (`python3-venv`),
 *   chromium (static images of the figures), and numpy for Debian's python3 (the CPython
 *   runtime's RawArray method runs /usr/bin/python3, not the venv).
 * - The tslab kernel registered inside the project (.jupyter-local/, used through JUPYTER_PATH).
 * - The CPython peers' pip packages (pyarrow, pinned in tools/setup/cpython-requirements.txt)
 *   in .cpython-packages/, built for the CPython runtime's interpreter (Debian's python3 takes no
 *   pip installs of its own: PEP 668); reinstalled when that file or the interpreter changes.
 *
 *   npx ts-node tools/setup/setup.ts
 *
 * Missing Debian packages are installed when running as root; otherwise the exact command is
 * printed and the exit status is 1. Nothing is written in the user's home (pip runs without its
 * cache).
 */
import { CPYTHON_PACKAGES_DIR } from '../../lib/model/paths';
import { SETUP_COMMAND, shown } from './base';
import { cpythonPackagesReady, cpythonPins, cpythonTarget, ensureCpythonPackages } from './cpython';
import { ensureDebianPackages, missingAptPackages } from './debian';
import { ensureKernel } from './kernel';
import { REQUIREMENTS, VENV_DIR } from './paths';
import { ensureVenv, venvReady } from './venv';

// Each step in its file: the shared helpers (base.ts), Debian's packages (debian.ts), the venv
// (venv.ts), the kernel (kernel.ts), the CPython peers' packages (cpython.ts). What the tests ask
// of the set-up beside missingTools is re-exported here.
export { aptCommand } from './debian';
export { ensureKernel } from './kernel';
export { venvReady } from './venv';

/** What is missing, one human-readable line each; empty when everything is installed. */
export function missingTools(): string[] {
  const missing = missingAptPackages().map((p) => `Debian package ${p}`);
  if (!venvReady()) missing.push(`${shown(VENV_DIR)}/ with Jupyter and ruff from ${shown(REQUIREMENTS)} (${SETUP_COMMAND} makes it)`);
  const target = cpythonTarget();
  if (target && !cpythonPackagesReady(target)) {
    missing.push(`${shown(CPYTHON_PACKAGES_DIR)}/ with ${cpythonPins().join(' ')} for ${target.python} (${SETUP_COMMAND} installs it)`);
  }
  return missing;
}

/** Everything the notebooks need. Throws SetupError with the fix when something cannot be done. */
export function setup(log: (line: string) => void = (line) => console.log(`setup: ${line}`)): void {
  ensureDebianPackages(log);
  ensureVenv(log);
  ensureKernel(log);
  ensureCpythonPackages(log);
}

if (require.main === module) {
  try {
    setup();
  } catch (error) {
    console.error(`setup: ${(error as Error).message}`);
    process.exit(1);
  }
}
