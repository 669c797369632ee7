import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CHROMIUM_PATH } from '../../lib/model/paths';
import { DEBIAN_PYTHON, isRoot, pathPython, probe, run, SetupError, shown } from './base';
import { PYTHON, VENV_DIR } from './paths';

/** The Debian packages the set-up needs (setup.ts): python3-venv, python3-numpy, chromium. */

function hasNumpy(python: string): boolean {
  const result = spawnSync(python, ['-c', 'import importlib.util as u; raise SystemExit(u.find_spec("numpy") is None)']);
  return result.status === 0;
}

/**
 * The Debian packages that are missing: chromium, numpy for Debian's python3, and python3-venv
 * when the venv still has to be made with Debian's python3 and it lacks the venv module.
 * Throws SetupError when python3 on PATH is another interpreter that apt cannot fix.
 */
export function missingAptPackages(): string[] {
  const packages: string[] = [];
  // The venv's interpreter, once there, is all pip needs: python3 on PATH matters only to make it.
  if (!fs.existsSync(PYTHON)) {
    const python = pathPython();
    const found = python ? probe(python) : null;
    if (!python || !found) {
      packages.push('python3', 'python3-venv');
    } else if (!found.venv) {
      if (!found.executable.startsWith('/usr/bin/')) {
        throw new SetupError(
          `${python} (${found.executable}) has no venv module, so it cannot make ${shown(VENV_DIR)}/: ` +
            `install venv for it, or put Debian's ${DEBIAN_PYTHON} first on PATH (apt-get install python3-venv)`,
        );
      }
      packages.push('python3-venv');
    }
  }
  if (fs.existsSync(DEBIAN_PYTHON) && !hasNumpy(DEBIAN_PYTHON)) packages.push('python3-numpy');
  if (!fs.existsSync(CHROMIUM_PATH)) packages.push('chromium');
  return packages;
}

/** The apt-get command that installs the given (by default: the missing) Debian packages. */
export function aptCommand(sudo: boolean, packages: string[] = missingAptPackages()): string {
  const s = sudo ? 'sudo ' : '';
  return `${s}apt-get update && ${s}apt-get install -y ${packages.join(' ')}`;
}

/** Install the missing Debian packages (as root), or explain how (SetupError). */
export function ensureDebianPackages(log: (line: string) => void): void {
  const packages = missingAptPackages();
  if (packages.length === 0) return;
  log(`missing Debian packages: ${packages.join(' ')}`);
  if (!isRoot()) throw new SetupError(`not root, so not installing them; run: ${aptCommand(true, packages)}`);
  log(`installing: ${aptCommand(false, packages)}`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', ...packages]);
  const still = missingAptPackages();
  if (still.length > 0) throw new SetupError(`still missing after apt-get install: ${still.join(' ')}`);
}
