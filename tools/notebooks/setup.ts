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
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CPYTHON_PACKAGES_DIR } from '../../lib/model/paths';
import {
  CHROMIUM_PATH,
  JUPYTER,
  JUPYTER_DATA_DIR,
  JUPYTER_PREFIX,
  jupyterEnv,
  PYTHON,
  REPO_ROOT,
  REQUIREMENTS,
  RUFF,
  TSLAB_BIN,
  VENV_DIR,
  VENV_STAMP,
} from './paths';

/** Debian's interpreter: the CPython runtime uses it, and `python3-venv` gives it the venv module. */
const DEBIAN_PYTHON = '/usr/bin/python3';
/** The oldest Python the pinned JupyterLab 4.6 and Notebook 7.6 install on. */
const MIN_PYTHON: readonly [number, number] = [3, 10];
/** Where pip's output goes (it is long, and full of retries when an index is unreachable). */
const PIP_LOG = path.join(VENV_DIR, 'ipc-lab-pip.log');
/** The CPython peers' pinned pip packages (pyarrow), installed into CPYTHON_PACKAGES_DIR. */
const CPYTHON_REQUIREMENTS = path.join(__dirname, 'cpython-requirements.txt');
/** What CPYTHON_PACKAGES_DIR was installed from and for: the requirements' hash and the interpreter's tags. */
const CPYTHON_PACKAGES_STAMP = path.join(CPYTHON_PACKAGES_DIR, 'ipc-lab-packages.stamp');
/** pip's output of that install (in the venv: the packages directory is replaced as a whole). */
const CPYTHON_PIP_LOG = path.join(VENV_DIR, 'ipc-lab-cpython-pip.log');
/** The command that installs what is missing, for error messages. */
const SETUP_COMMAND = 'npx ts-node tools/notebooks/setup.ts';

export class SetupError extends Error {}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function shown(file: string): string {
  return path.relative(REPO_ROOT, file) || '.';
}

/** The first `python3` on PATH (absolute), or null: the interpreter the venv is made with. */
export function pathPython(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'python3');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

interface PythonProbe {
  version: [number, number];
  /** `venv` and `ensurepip` both importable: `python3 -m venv` will work (Debian splits ensurepip off). */
  venv: boolean;
  /** Resolved through symlinks and pyenv shims, e.g. /usr/bin/python3.11. */
  executable: string;
}

/** What `python` is, or null when it does not run. find_spec locates modules without importing them. */
function probe(python: string): PythonProbe | null {
  const result = spawnSync(
    python,
    [
      '-c',
      'import os, sys, importlib.util as u; print(sys.version_info[0], sys.version_info[1], int(all(u.find_spec(m) for m in ("venv", "ensurepip"))), os.path.realpath(sys.executable))',
    ],
    { encoding: 'utf8' },
  );
  const [major, minor, venv, executable] = (result.stdout ?? '').trim().split(' ');
  if (result.status !== 0 || !executable) return null;
  return { version: [Number(major), Number(minor)], venv: venv === '1', executable };
}

function hasNumpy(python: string): boolean {
  const result = spawnSync(python, ['-c', 'import importlib.util as u; raise SystemExit(u.find_spec("numpy") is None)']);
  return result.status === 0;
}

function requirementsHash(file: string = REQUIREMENTS): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
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

/** The apt-get command that installs the given (by default: the missing) Debian packages. */
export function aptCommand(sudo: boolean, packages: string[] = missingAptPackages()): string {
  const s = sudo ? 'sudo ' : '';
  return `${s}apt-get update && ${s}apt-get install -y ${packages.join(' ')}`;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) {
    throw new SetupError(`${command} ${args.join(' ')} failed with ${result.error?.message ?? `status ${result.status}`}`);
  }
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

/** The last lines of pip's log, for an error message. */
function pipLogTail(lines: number, log: string = PIP_LOG): string {
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
  if (!fs.existsSync(PYTHON)) throw new SetupError(`${shown(PYTHON)} is missing: run setup.ts, which makes the venv first`);
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

/** The interpreter pip fetches the CPython peers' wheels for, and what pip must be told about it. */
interface CpythonTarget {
  /** The interpreter the CPython runtime finds (lib/measure/cpython/python-interpreter.ts). */
  python: string;
  /** "3.11": pip's --python-version. */
  version: string;
  /** platform.machine(), e.g. x86_64 or aarch64. */
  machine: string;
  /** glibc's version, e.g. [2, 36], or null on another C library (no manylinux wheel fits it). */
  glibc: [number, number] | null;
}

/**
 * The CPython runtime's interpreter and what pip must know to fetch wheels for it, or null when
 * there is none (then the CPython runtime does not run either). The runtime prefers Debian's
 * python3, else python3 on PATH; a --python given at run time can be another one, which finds
 * no packages here unless it is the same Python version and platform.
 */
function cpythonTarget(): CpythonTarget | null {
  const python = fs.existsSync(DEBIAN_PYTHON) ? DEBIAN_PYTHON : pathPython();
  if (!python) return null;
  const result = spawnSync(
    python,
    ['-c', 'import platform, sys; print(sys.version_info[0], sys.version_info[1], platform.machine(), *platform.libc_ver())'],
    { encoding: 'utf8' },
  );
  const [major, minor, machine, libc, libcVersion] = (result.stdout ?? '').trim().split(' ');
  if (result.status !== 0 || !machine)
    throw new SetupError(`${python} does not run (${(result.stderr ?? '').trim() || `status ${result.status}`})`);
  const [glibcMajor, glibcMinor] = (libcVersion ?? '').split('.').map(Number);
  return {
    python,
    version: `${major}.${minor}`,
    machine,
    glibc: libc === 'glibc' && glibcMinor >= 0 ? [glibcMajor, glibcMinor] : null,
  };
}

/** The requirements' pins, e.g. ["pyarrow==25.0.1"]. */
function pins(): string[] {
  return fs
    .readFileSync(CPYTHON_REQUIREMENTS, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

function cpythonStamp(target: CpythonTarget): string {
  return `${requirementsHash(CPYTHON_REQUIREMENTS)} python${target.version} ${target.machine}`;
}

/** The packages were installed from the current requirements for this interpreter. Reads one file. */
function cpythonPackagesReady(target: CpythonTarget): boolean {
  try {
    return fs.readFileSync(CPYTHON_PACKAGES_STAMP, 'utf8').trim() === cpythonStamp(target);
  } catch {
    return false;
  }
}

/**
 * pip's --platform tags for a glibc Linux: manylinux_2_N_<arch> from the machine's glibc down to
 * 2.17 (the oldest that current wheels target), and 2.17's old alias manylinux2014 — the list pip
 * derives for the interpreter it runs in, which here is the venv's, not the target's.
 */
function manylinuxPlatforms(machine: string, glibc: readonly [number, number]): string[] {
  const platforms: string[] = [];
  for (let minor = glibc[1]; minor >= 17; minor--) platforms.push(`manylinux_${glibc[0]}_${minor}_${machine}`);
  return [...platforms, `manylinux2014_${machine}`];
}

/**
 * Install the CPython peers' pinned packages into CPYTHON_PACKAGES_DIR with the venv's pip, as
 * wheels built for the CPython runtime's interpreter (--python-version, --platform), unless the
 * stamp says they are there. pip fills a new directory that replaces the old one only when it
 * imports, so a failed install leaves no half-filled directory on the peers' PYTHONPATH.
 */
export function ensureCpythonPackages(log: (line: string) => void): void {
  const target = cpythonTarget();
  if (!target || cpythonPackagesReady(target)) return;
  const wanted = pins();
  const what = `${wanted.join(' ')} for ${target.python} (CPython ${target.version}, ${target.machine})`;
  const retry = `see ${shown(CPYTHON_PIP_LOG)}, then rerun ${SETUP_COMMAND}`;
  if (!target.glibc) {
    throw new SetupError(
      `cannot install ${what}: pip has manylinux wheels for glibc only; install them into ${shown(CPYTHON_PACKAGES_DIR)}/ yourself`,
    );
  }
  if (!fs.existsSync(PYTHON)) throw new SetupError(`${shown(PYTHON)} is missing: run setup.ts, which makes the venv first`);
  const started = Date.now();
  log(`installing ${what} into ${shown(CPYTHON_PACKAGES_DIR)}/ (pip's output: ${shown(CPYTHON_PIP_LOG)})`);
  const fresh = `${CPYTHON_PACKAGES_DIR}.tmp-${process.pid}`;
  fs.rmSync(fresh, { recursive: true, force: true });
  const out = fs.openSync(CPYTHON_PIP_LOG, 'w');
  // Short retries and no cache, as for the venv. --no-deps: pyarrow needs nothing at run time but
  // numpy, which Debian's python3-numpy gives. --only-binary: nothing is compiled for another Python.
  const pip = spawnSync(
    PYTHON,
    [
      '-m',
      'pip',
      'install',
      '--retries',
      '1',
      '--timeout',
      '15',
      '--no-cache-dir',
      '--disable-pip-version-check',
      '--no-deps',
      '--only-binary=:all:',
      '--target',
      fresh,
      '--python-version',
      target.version,
      '--implementation',
      'cp',
      ...manylinuxPlatforms(target.machine, target.glibc).flatMap((platform) => ['--platform', platform]),
      '-r',
      CPYTHON_REQUIREMENTS,
    ],
    { stdio: ['ignore', out, out], env: jupyterEnv() },
  );
  fs.closeSync(out);
  if (pip.status !== 0) {
    fs.rmSync(fresh, { recursive: true, force: true });
    throw new SetupError(
      `pip could not install ${what} (${pip.error?.message ?? `status ${pip.status}`}: ${pipLogTail(1, CPYTHON_PIP_LOG)}); ${retry}`,
    );
  }
  // Each pin imported from the new directory by the interpreter it is for (the module names are
  // the distributions' names here), its version read from the installed metadata.
  const check = spawnSync(
    target.python,
    [
      '-c',
      [
        'import importlib, importlib.metadata as m, json, sys',
        'for name, version in json.loads(sys.argv[1]):',
        '    importlib.import_module(name)',
        '    assert m.version(name) == version, f"{name} {m.version(name)}, not {version}"',
      ].join('\n'),
      JSON.stringify(wanted.map((pin) => pin.split('=='))),
    ],
    { encoding: 'utf8', env: { ...process.env, PYTHONPATH: fresh } },
  );
  if (check.status !== 0) {
    fs.rmSync(fresh, { recursive: true, force: true });
    const why = (check.stderr ?? '').trim().split('\n').pop();
    throw new SetupError(`${target.python} cannot import ${wanted.join(' ')} after pip installed it (${why}); ${retry}`);
  }
  fs.writeFileSync(path.join(fresh, path.basename(CPYTHON_PACKAGES_STAMP)), `${cpythonStamp(target)}\n`);
  fs.rmSync(CPYTHON_PACKAGES_DIR, { recursive: true, force: true });
  fs.renameSync(fresh, CPYTHON_PACKAGES_DIR);
  log(`${shown(CPYTHON_PACKAGES_DIR)}/ ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
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
