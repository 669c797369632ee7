import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/model/paths';
import { run, SETUP_COMMAND, SetupError, shown } from './base';
import { JUPYTER_DATA_DIR, JUPYTER_PREFIX, PYTHON, TSLAB_BIN } from './paths';

/** The tslab kernels (setup.ts), registered inside the project with the repository root as their working directory. */

/**
 * The kernel command. tslab type-checks each cell with TypeScript's `rootDir` set to the kernel's
 * working directory, so `import … from '../lib/x'` from notebooks/ fails ("File is not under
 * rootDir"). The kernel therefore starts in the repo root, whatever folder the notebook is in,
 * and notebooks import `./lib/…` and read `data/…` relative to the repo root.
 */
export function kernelArgv(kind: 'tslab' | 'jslab'): string[] {
  return [
    '/bin/sh',
    '-c',
    'cd "$1" && exec "$2" kernel --config-path "$3" $4',
    `ipc-lab-${kind}`,
    REPO_ROOT,
    TSLAB_BIN,
    '{connection_file}',
    kind === 'jslab' ? '--js' : '',
  ];
}

function kernelJsonPath(kind: 'tslab' | 'jslab'): string {
  return path.join(JUPYTER_DATA_DIR, 'kernels', kind, 'kernel.json');
}

function kernelReady(kind: 'tslab' | 'jslab'): boolean {
  try {
    const spec = JSON.parse(fs.readFileSync(kernelJsonPath(kind), 'utf8')) as { argv?: string[]; env?: unknown };
    return JSON.stringify(spec.argv) === JSON.stringify(kernelArgv(kind)) && spec.env === undefined;
  } catch {
    return false;
  }
}

/** Register tslab's kernels under .jupyter-local (project-local), with the repo root as working directory. */
export function ensureKernel(log: (line: string) => void): void {
  if (kernelReady('tslab') && kernelReady('jslab')) return;
  if (!fs.existsSync(TSLAB_BIN)) throw new SetupError(`${TSLAB_BIN} is missing: run npm ci first`);
  if (!fs.existsSync(PYTHON)) throw new SetupError(`${shown(PYTHON)} is missing: run ${SETUP_COMMAND}, which makes the venv first`);
  log(`registering the tslab kernel in ${shown(JUPYTER_PREFIX)}/`);
  // tslab's installer runs jupyter_client's KernelSpecManager in the given Python: the venv's.
  run(TSLAB_BIN, ['install', `--python=${PYTHON}`, `--binary=${TSLAB_BIN}`, `--prefix=${JUPYTER_PREFIX}`]);
  for (const kind of ['tslab', 'jslab'] as const) {
    const file = kernelJsonPath(kind);
    const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    spec.argv = kernelArgv(kind);
    delete spec.env;
    fs.writeFileSync(file, `${JSON.stringify(spec, null, 1)}\n`);
  }
}
