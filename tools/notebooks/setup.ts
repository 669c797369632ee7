/**
 * Makes Jupyter ready for the notebooks, idempotently and fast when everything is there:
 * Debian's Jupyter, nbclient and numpy for /usr/bin/python3, chromium (static figure images), and
 * the tslab kernel registered inside the project (.jupyter-local/, used through JUPYTER_PATH),
 * never in the user's home.
 *
 *   node -r ts-node/register/transpile-only tools/notebooks/setup.ts
 *
 * Missing Debian packages are installed when running as root; otherwise the exact command is
 * printed and the exit status is 1.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APT_PACKAGES, CHROMIUM_PATH, JUPYTER, JUPYTER_DATA_DIR, JUPYTER_PREFIX, PYTHON, REPO_ROOT, TSLAB_BIN } from './paths';

/** What is missing, one human-readable line each; empty when everything is installed. */
export function missingTools(): string[] {
  const missing: string[] = [];
  for (const file of [JUPYTER, `${JUPYTER}-nbconvert`, `${JUPYTER}-notebook`]) {
    if (!fs.existsSync(file)) missing.push(`${file} (Debian's Jupyter)`);
  }
  if (!fs.existsSync(PYTHON)) {
    missing.push(`${PYTHON}`);
  } else {
    // find_spec locates a module without importing it: much faster than importing nbconvert.
    const probe = spawnSync(
      PYTHON,
      [
        '-c',
        'import importlib.util as u; print(" ".join(m for m in ["nbclient", "nbconvert", "nbformat", "notebook", "numpy"] if u.find_spec(m) is None))',
      ],
      { encoding: 'utf8' },
    );
    const absent = probe.status === 0 ? probe.stdout.trim() : 'python3 failed';
    if (absent) missing.push(`python modules for ${PYTHON}: ${absent}`);
  }
  if (!fs.existsSync(CHROMIUM_PATH)) missing.push(`${CHROMIUM_PATH} (static images of figures)`);
  return missing;
}

/** The command that installs everything the notebooks need from Debian. */
export function aptCommand(sudo: boolean): string {
  const s = sudo ? 'sudo ' : '';
  return `${s}apt-get update && ${s}apt-get install -y ${APT_PACKAGES.join(' ')}`;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with ${result.error?.message ?? `status ${result.status}`}`);
  }
}

/** Install the Debian packages if anything is missing (as root), or explain how (exit status 1). */
export function ensureDebianPackages(log: (line: string) => void): void {
  const missing = missingTools();
  if (missing.length === 0) return;
  log(`missing: ${missing.join('; ')}`);
  if (!isRoot()) {
    throw new SetupError(`not root, so not installing them; run: ${aptCommand(true)}`);
  }
  log(`installing: ${aptCommand(false)}`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', ...APT_PACKAGES]);
  const still = missingTools();
  if (still.length > 0) throw new SetupError(`still missing after apt-get install: ${still.join('; ')}`);
}

export class SetupError extends Error {}

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
    const spec = JSON.parse(fs.readFileSync(kernelJsonPath(kind), 'utf8')) as { argv?: string[] };
    return JSON.stringify(spec.argv) === JSON.stringify(kernelArgv(kind));
  } catch {
    return false;
  }
}

/** Register tslab's kernels under .jupyter-local (project-local), with the repo root as working directory. */
export function ensureKernel(log: (line: string) => void): void {
  if (kernelReady('tslab') && kernelReady('jslab')) return;
  if (!fs.existsSync(TSLAB_BIN)) throw new SetupError(`${TSLAB_BIN} is missing: run npm ci first`);
  log(`registering the tslab kernel in ${path.relative(REPO_ROOT, JUPYTER_PREFIX)}/`);
  run(TSLAB_BIN, ['install', `--python=${PYTHON}`, `--binary=${TSLAB_BIN}`, `--prefix=${JUPYTER_PREFIX}`]);
  for (const kind of ['tslab', 'jslab'] as const) {
    const file = kernelJsonPath(kind);
    const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    spec.argv = kernelArgv(kind);
    fs.writeFileSync(file, `${JSON.stringify(spec, null, 1)}\n`);
  }
}

/** Everything the notebooks need. Throws SetupError with the fix when something cannot be done. */
export function setup(log: (line: string) => void = (line) => console.log(`setup: ${line}`)): void {
  ensureDebianPackages(log);
  ensureKernel(log);
}

if (require.main === module) {
  try {
    setup();
  } catch (error) {
    console.error(`setup: ${(error as Error).message}`);
    process.exit(1);
  }
}
