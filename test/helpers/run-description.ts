import type { RunDescription } from '../../lib/model/types';

/** A fixed run description (a 2-core test machine with 24 GiB, Node 20.20.2, no CPython), with some fields replaced. */
export function testDescription(overrides: Partial<RunDescription> = {}): RunDescription {
  return {
    schema: 2,
    runId: 'run-a',
    ipcLabVersion: '0.1.0',
    gitCommit: '46ae1bf0a1b2c3d4e5f60718293a4b5c6d7e8f90',
    node: '20.20.2',
    v8: '11.3',
    python: null,
    bun: null,
    deno: null,
    os: 'Linux',
    kernel: '6.1.0',
    arch: 'x64',
    cpuModel: 'Test CPU',
    cores: 2,
    memoryBytes: 24 * 2 ** 30,
    date: '2026-11-30T22:41:07.123Z',
    commandLine: 'npm run sweep',
    label: '',
    codecLibraries: '',
    ...overrides,
  };
}
