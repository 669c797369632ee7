/**
 * Makes Jupyter ready for the notebooks, idempotently, and in a few milliseconds when everything
 * is there (it runs before every `npm test` and `npm run notebooks`):
 *
 * - Jupyter and ruff (the Python linter and formatter) from pip: a virtual environment `.venv/` made
 *   with the `python3` first on PATH, with the pinned tools/notebooks/requirements.txt installed;
 *   pip runs again in the same venv when that file changes (it adds only what is new or re-pinned).
 * - From Debian, only what pip cannot give: the venv module of Debian's python3 (`python3-venv`),
 *   chromium (static images of the figures), and numpy for Debian's python3 (the CPython
 *   runtime's RawArray method runs /usr/bin/python3, not the venv).
 * - The tslab kernel registered inside the project (.jupyter-local/, used through JUPYTER_PATH).
 * - The CPython peers' pip packages (pyarrow, pinned in tools/notebooks/cpython-requirements.txt)
 *   in .cpython-packages/, built for the CPython runtime's interpreter (Debian's python3 takes no
 *   pip installs of its own: PEP 668); reinstalled when that file or the interpreter changes.
 *
 *   node -r ts-node/register/transpile-only tools/notebooks/setup.ts
 *
 * Missing Debian packages are installed when running as root; otherwise the exact command is
 * printed and the exit status is 1. Nothing is written in the user's home (pip runs without its
 * cache).
 */
import { CPYTHON_PACKAGES_DIR } from '../../lib/model/paths';
import { REQUIREMENTS, VENV_DIR } from './paths';
import { shown } from './setup-base';
import { cpythonPackagesReady, cpythonTarget, ensureCpythonPackages, pins } from './setup-cpython';
import { ensureDebianPackages, missingAptPackages } from './setup-debian';
import { ensureKernel } from './setup-kernel';
import { ensureVenv, venvReady } from './setup-venv';

// Each step in its file: the shared helpers (setup-base.ts), Debian's packages (setup-debian.ts),
// the venv (setup-venv.ts), the kernel (setup-kernel.ts), the CPython peers' packages
// (setup-cpython.ts). What the tests ask of the set-up beside missingTools is re-exported here.
export { aptCommand } from './setup-debian';
export { ensureKernel } from './setup-kernel';
export { venvReady } from './setup-venv';

/** What is missing, one human-readable line each; empty when everything is installed. */
export function missingTools(): string[] {
  const missing = missingAptPackages().map((p) => `Debian package ${p}`);
  if (!venvReady()) missing.push(`${shown(VENV_DIR)}/ with Jupyter and ruff from ${shown(REQUIREMENTS)} (setup.ts makes it)`);
  const target = cpythonTarget();
  if (target && !cpythonPackagesReady(target)) {
    missing.push(`${shown(CPYTHON_PACKAGES_DIR)}/ with ${pins().join(' ')} for ${target.python} (setup.ts installs it)`);
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
