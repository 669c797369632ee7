import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CPYTHON_PACKAGES_DIR } from '../../lib/model/paths';
import { DEBIAN_PYTHON, pathPython, SETUP_COMMAND, SetupError, shown } from './base';
import { jupyterEnv, PYTHON, VENV_DIR } from './paths';
import { pins, pipLogTail, requirementsHash } from './venv';

/**
 * The CPython peers' pip packages (setup.ts): pyarrow, pinned, installed with the venv's pip into
 * .cpython-packages/ as wheels for the CPython runtime's interpreter.
 */

/** The CPython peers' pinned pip packages (pyarrow), installed into CPYTHON_PACKAGES_DIR. */
const CPYTHON_REQUIREMENTS = path.join(__dirname, 'cpython-requirements.txt');
/** What CPYTHON_PACKAGES_DIR was installed from and for: the requirements' hash and the interpreter's tags. */
const CPYTHON_PACKAGES_STAMP = path.join(CPYTHON_PACKAGES_DIR, 'ipc-lab-packages.stamp');
/** pip's output of that install (in the venv: the packages directory is replaced as a whole). */
const CPYTHON_PIP_LOG = path.join(VENV_DIR, 'ipc-lab-cpython-pip.log');

/** The interpreter pip fetches the CPython peers' wheels for, and what pip must be told about it. */
export interface CpythonTarget {
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
export function cpythonTarget(): CpythonTarget | null {
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

/** The CPython peers' pins, e.g. ["pyarrow==25.0.1"]. */
export function cpythonPins(): string[] {
  return pins(CPYTHON_REQUIREMENTS);
}

function cpythonStamp(target: CpythonTarget): string {
  return `${requirementsHash(CPYTHON_REQUIREMENTS)} python${target.version} ${target.machine}`;
}

/** The packages were installed from the current requirements for this interpreter. Reads one file. */
export function cpythonPackagesReady(target: CpythonTarget): boolean {
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
  const wanted = cpythonPins();
  const what = `${wanted.join(' ')} for ${target.python} (CPython ${target.version}, ${target.machine})`;
  const retry = `see ${shown(CPYTHON_PIP_LOG)}, then rerun ${SETUP_COMMAND}`;
  if (!target.glibc) {
    throw new SetupError(
      `cannot install ${what}: pip has manylinux wheels for glibc only; install them into ${shown(CPYTHON_PACKAGES_DIR)}/ yourself`,
    );
  }
  if (!fs.existsSync(PYTHON)) throw new SetupError(`${shown(PYTHON)} is missing: run ${SETUP_COMMAND}, which makes the venv first`);
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
