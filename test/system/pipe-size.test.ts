/**
 * A one-shot transfer's pipe is enlarged to 1 MiB (lib/measure/pipe-size.ts, the addon's pipeSize
 * in native/shm.c), as native/ipc_baseline.c enlarges its own: the size is the pipe's, so the peer
 * at the other end sees it. A system test: it needs the built addon, /bin/sh and python3 (which
 * reads the size from the other end with fcntl F_GETPIPE_SZ).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { allowedPipeBytes, enlargePipe, TRANSFER_PIPE_BYTES } from '../../lib/measure/pipe-size';
import { REPO_ROOT, SHM_ADDON_PATH } from '../../lib/model/paths';

const addon = require(SHM_ADDON_PATH) as { pipeSize(fd: number, bytes: number): number };

/** `sh -c 'writer 5>&1 | reader'`: what the writer printed on stderr and the reader on stdout. */
function acrossShellPipe(writerScript: string): { writer: string; reader: string } {
  const writer = `${JSON.stringify(process.execPath)} -r ts-node/register/transpile-only -e ${JSON.stringify(writerScript)}`;
  // The reader asks once the writer has exited (its end of file): the size it then sees is the writer's doing.
  const reader = `python3 -c 'import fcntl, sys; sys.stdin.buffer.read(); print(fcntl.fcntl(0, fcntl.F_GETPIPE_SZ))'`;
  const errFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pipe-size-')), 'writer.err');
  try {
    const out = execFileSync('/bin/sh', ['-c', `${writer} 5>&1 >/dev/null 2>${JSON.stringify(errFile)} | ${reader}`], { cwd: REPO_ROOT });
    return { writer: fs.readFileSync(errFile, 'utf8').trim(), reader: out.toString().trim() };
  } finally {
    fs.rmSync(path.dirname(errFile), { recursive: true, force: true });
  }
}

test('enlargePipe gives the pipe 1 MiB (or pipe-max-size), and the other end sees it', () => {
  const script = `process.stderr.write(String(require('./lib/measure/pipe-size').enlargePipe(5)))`;
  const { writer, reader } = acrossShellPipe(script);
  const expected = allowedPipeBytes(TRANSFER_PIPE_BYTES);
  assert.equal(Number(writer), expected, `enlargePipe returned ${writer}`);
  assert.equal(Number(reader), expected, `the reading end saw a pipe of ${reader} bytes`);
});

test('a pipe left alone keeps the kernel default, smaller than the transfer pipe', () => {
  const { reader } = acrossShellPipe(`process.stderr.write('')`);
  assert.ok(Number(reader) < TRANSFER_PIPE_BYTES, `the default pipe holds ${reader} bytes`);
});

test('pipeSize refuses what is not a pipe and a bad size with one line each; enlargePipe keeps the default', () => {
  const fd = fs.openSync(__filename, 'r');
  try {
    assert.throws(() => addon.pipeSize(fd, 1 << 20), { message: /^pipeSize: fcntl F_SETPIPE_SZ failed: Bad file descriptor$/ });
    assert.equal(enlargePipe(fd), null);
  } finally {
    fs.closeSync(fd);
  }
  assert.throws(() => addon.pipeSize(-1, 4096), { message: 'pipeSize: the descriptor must be a whole number >= 0' });
  assert.throws(() => addon.pipeSize(0, 2 ** 31), { message: 'pipeSize: bytes must be at most 2^31 - 1' });
  assert.throws(() => addon.pipeSize(0, 1.5), { message: 'pipeSize: bytes must be a whole number >= 0' });
});

test('allowedPipeBytes takes the lower of what is wanted and pipe-max-size, and what is wanted when it cannot read it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipe-max-'));
  try {
    const file = path.join(dir, 'pipe-max-size');
    fs.writeFileSync(file, '65536\n');
    assert.equal(allowedPipeBytes(1 << 20, file), 65536);
    fs.writeFileSync(file, '4194304\n');
    assert.equal(allowedPipeBytes(1 << 20, file), 1 << 20);
    assert.equal(allowedPipeBytes(1 << 20, path.join(dir, 'absent')), 1 << 20);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
