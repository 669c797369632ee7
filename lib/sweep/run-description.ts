/**
 * What a sweep ran on: software versions, the commit of this code, and the machine. Saved beside
 * the records so that a number can always be traced to the code and hardware that produced it.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUN_ENGINE, DENO_ENGINE } from '../measure/runner/engines';
import { REPO_ROOT } from '../model/paths';
import { RECORD_SCHEMA, type RunDescription } from '../model/types';

/** What the caller knows about a run; describeRun adds the rest. */
export interface RunFacts {
  runId: string;
  /** The command as typed, e.g. `npm run sweep -- --experiment article-pipe`. */
  commandLine: string;
  label: string;
  /** The CPython version used (e.g. "3.11.2"), or null when no CPython peer ran. */
  python: string | null;
}

/** 2024-03-05 14:07:09 local → "20240305-140709": a date-time that sorts and fits in a path. */
export function timestampForPath(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/**
 * A new run id, "20240305-140709-9f86d081": local date-time, then 32 random bits, so two sweeps
 * started in the same second (even in one process) do not collide.
 */
export function newRunId(now: Date = new Date()): string {
  return `${timestampForPath(now)}-${crypto.randomBytes(4).toString('hex')}`;
}

/** The `version` of this package's package.json, or 'unknown' if it cannot be read. */
export function ipcLabVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

function git(repoRoot: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 10_000,
    // Read-only: without this, `git status` may rewrite the index to refresh its stat cache.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
}

/**
 * The commit checked out in `repoRoot`, with "-dirty" when files differ from it, or 'unknown'
 * when git or the repository is missing. What runs write does not count as a change of the code:
 * results under data/results/, and the executed notebooks and their HTML pages (their sources are
 * tools/notebooks/sources/) — otherwise every sweep after the first, and every notebook after the
 * first of an `npm run notebooks` that rewrites them in place, would call the code dirty.
 */
export function gitCommit(repoRoot: string = REPO_ROOT): string {
  let commit: string;
  try {
    commit = git(repoRoot, ['rev-parse', 'HEAD']).trim();
  } catch {
    return 'unknown';
  }
  if (!/^[0-9a-f]{40,64}$/.test(commit)) return 'unknown';
  try {
    const changes = git(repoRoot, ['status', '--porcelain', '--', '.', ':(exclude)data/results', ':(exclude)notebooks']);
    return changes.trim() === '' ? commit : `${commit}-dirty`;
  } catch {
    return `${commit}-dirty?`;
  }
}

/** The serializers' libraries: V8's own (node:v8, JSON), and msgpackr's and apache-arrow's versions as installed. */
export function codecLibraries(): string {
  return `v8 ${process.versions.v8} (node:v8 and JSON), msgpackr ${installedVersion('msgpackr')}, apache-arrow ${installedVersion('apache-arrow')}`;
}

/** An npm package's version as installed in this repository, or "missing". */
function installedVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing'; // not installed: said in the description
  }
}

/** The full description of this run: versions, commit, OS and hardware, now. */
export function describeRun(facts: RunFacts): RunDescription {
  const cpus = os.cpus();
  return {
    schema: RECORD_SCHEMA,
    runId: facts.runId,
    ipcLabVersion: ipcLabVersion(),
    gitCommit: gitCommit(),
    node: process.versions.node,
    v8: process.versions.v8,
    python: facts.python,
    bun: BUN_ENGINE.version() || null,
    deno: DENO_ENGINE.version() || null,
    os: os.type(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    date: new Date().toISOString(),
    commandLine: facts.commandLine,
    label: facts.label,
    codecLibraries: codecLibraries(),
  };
}
