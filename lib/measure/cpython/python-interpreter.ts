/**
 * Finding a CPython to run the article's methods: an explicit --python, else Debian's own
 * /usr/bin/python3 (numpy comes from apt there), else python3 on PATH. Each candidate is probed
 * once per process for its version and numpy; a missing or too-old interpreter is an error that
 * says what to install.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { CPYTHON_PACKAGES_DIR } from '../../model/paths';

/** Where an interpreter is looked for when none is given: Debian's own first (it has numpy from apt). */
const DEFAULT_PYTHONS = ['/usr/bin/python3', 'python3'];

/** article_methods.py uses importlib.metadata and f-strings: 3.8 is the oldest that runs it. */
export const MIN_PYTHON: readonly [number, number] = [3, 8];

/** A usable CPython interpreter. */
export interface PythonInfo {
  /** The path or command name it was found as (what gets spawned). */
  path: string;
  /** platform.python_version(), e.g. "3.11.2". */
  version: string;
  /** numpy.__version__, or null when numpy cannot be imported (raw-array then fails). */
  numpy: string | null;
}

const PROBE_SCRIPT = [
  'import json, platform',
  'try:',
  '    import numpy',
  '    v = numpy.__version__',
  'except Exception:',
  '    v = None',
  'print(json.dumps({"version": platform.python_version(), "numpy": v}))',
].join('\n');

const probes = new Map<string, Promise<PythonInfo>>();

/** Ask one interpreter its version and numpy's; cached per path, failures are not cached. */
function probePython(python: string): Promise<PythonInfo> {
  let pending = probes.get(python);
  if (!pending) {
    pending = new Promise<PythonInfo>((resolve, reject) => {
      execFile(python, ['-c', PROBE_SCRIPT], { timeout: 30_000, env: process.env }, (error, stdout, stderr) => {
        if (error) {
          reject(new Error(interpreterProblem(python, error as NodeJS.ErrnoException, String(stderr))));
          return;
        }
        try {
          const found = JSON.parse(String(stdout).trim()) as { version: string; numpy: string | null };
          const [major, minor] = found.version.split('.').map(Number);
          if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
            reject(
              new Error(
                `python interpreter "${python}" is ${found.version}: ` +
                  `the cpython runtime needs ${MIN_PYTHON.join('.')} or newer; install Debian's python3 or pass --python PATH`,
              ),
            );
            return;
          }
          resolve({ path: python, version: found.version, numpy: found.numpy });
        } catch {
          reject(new Error(`"${python}" did not answer like Python 3: install Debian's python3 or pass --python PATH`));
        }
      });
    });
    probes.set(python, pending);
    pending.catch(() => probes.delete(python));
  }
  return pending;
}

/** The one-line reason an interpreter could not be run, naming what to install or pass. */
export function interpreterProblem(
  python: string,
  error: NodeJS.ErrnoException & { signal?: NodeJS.Signals | null },
  stderr: string,
): string {
  if (error.code === 'ENOENT') {
    return `python interpreter "${python}" not found: install Debian's python3 or pass --python PATH`;
  }
  if (error.code === 'EACCES') {
    return `python interpreter "${python}" is not executable: install Debian's python3 or pass --python PATH`;
  }
  const how = error.signal ? `was killed by ${error.signal}` : `exited with code ${String(error.code)}`;
  const detail = lastLine(stderr);
  return `python interpreter "${python}" ${how}${detail ? ` (${detail})` : ''}: ` + `install Debian's python3 or pass --python PATH`;
}

/**
 * Find the CPython to run the article's methods with. A `preferred` interpreter (the user's
 * --python) is the only one tried: a measurement must not silently run under another Python.
 * Without one, /usr/bin/python3 and then `python3` on PATH are tried, and the first that has
 * numpy wins (raw-array needs it), else the first that runs. Rejects with a one-line reason.
 */
export async function findPython(preferred?: string): Promise<PythonInfo> {
  if (preferred) return probePython(preferred);
  const found: PythonInfo[] = [];
  for (const candidate of DEFAULT_PYTHONS) {
    try {
      const info = await probePython(candidate);
      if (info.numpy !== null) return info;
      found.push(info);
    } catch {
      // try the next one
    }
  }
  if (found.length > 0) return found[0];
  throw new Error(
    `no python3 found (tried ${DEFAULT_PYTHONS.join(' and ')} on PATH): ` +
      `install Debian's python3 and python3-numpy (apt-get install -y python3 python3-numpy) or pass --python PATH`,
  );
}

/** "CPython 3.11.2, numpy 1.24.2 (/usr/bin/python3)" for the run description, or null when none runs. */
export async function cpythonVersion(python?: string): Promise<string | null> {
  try {
    const info = await findPython(python);
    return `CPython ${info.version}, numpy ${info.numpy ?? 'missing'} (${info.path})`;
  } catch {
    return null;
  }
}

/**
 * `env` with CPYTHON_PACKAGES_DIR first on PYTHONPATH, for spawning a CPython peer: pip installs
 * pyarrow there (tools/setup/setup.ts), since Debian's python3 takes no pip installs (PEP 668).
 */
export function pythonPackagesEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const inherited = env.PYTHONPATH ? [env.PYTHONPATH] : [];
  return { ...env, PYTHONPATH: [CPYTHON_PACKAGES_DIR, ...inherited].join(path.delimiter) };
}

const pyarrowProbes = new Map<string, Promise<string | null>>();

/**
 * pyarrow's version as `python` imports it with pythonPackagesEnv(), or null when it cannot
 * (not installed, or built for another Python). A version found is cached per interpreter; a
 * null is not, so that running setup.ts while a notebook's kernel lives is seen at the next call.
 */
export function probePyarrow(python: string): Promise<string | null> {
  let pending = pyarrowProbes.get(python);
  if (!pending) {
    pending = new Promise<string | null>((resolve) => {
      execFile(
        python,
        ['-c', 'import pyarrow; print(pyarrow.__version__)'],
        { timeout: 30_000, env: pythonPackagesEnv() },
        (error, stdout) => resolve(error ? null : String(stdout).trim() || null),
      );
    });
    pyarrowProbes.set(python, pending);
    void pending.then((version) => version === null && pyarrowProbes.delete(python));
  }
  return pending;
}

/** The last non-empty line of a process's output: its last words, for an error message. */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  return lines.length > 0 ? lines[lines.length - 1] : '';
}
