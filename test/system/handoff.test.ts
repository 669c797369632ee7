import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { decodeHandoffHeader, encodeHandoffHeader, HANDOFF_KIND, handoffNative } from '../../lib/measure/handoff-memory';
import { ENGINES, engineProblem } from '../../lib/measure/runner/engines';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import { mapSharedFile, sharedMemoryRoot } from '../../lib/measure/shared-memory';
import { handoffName } from '../../lib/measure/transports/handoff';
import { SHM_ADDON_PATH } from '../../lib/model/paths';
import { describeFailure } from '../../lib/model/record';
import { type Fault, type JsRuntime, TRANSFER_PAYLOADS } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * The zero-copy hand-over (handoff: a sealed memfd over SCM_RIGHTS; handoff-name: a named region in
 * the shared-memory root). Through the runner: both payloads arrive intact with the copies and first
 * touch the peers count, and every fault is a failed record that names it, leaving no process and no
 * file (the named region included). At the addon: what the seals refuse, that writing into a
 * read-only mapping kills the writer (SIGSEGV), and that a receiver keeps valid data after the
 * sender is killed.
 */
let iso: Isolation;
before(() => (iso = isolate('handoff')));
after(() => iso.dispose());

const TRANSPORTS = ['handoff', 'handoff-name'] as const;
const native = handoffNative();

async function assertNothingLeft(): Promise<void> {
  assert.deepEqual(await iso.waitForNoProcesses(), [], 'no process left running');
  assert.deepEqual(iso.leftoverFiles(), [], 'no temp, socket or shared-memory file left (the named region included)');
}

async function assertCarries(runtime: JsRuntime): Promise<void> {
  for (const transport of TRANSPORTS) {
    for (const payload of TRANSFER_PAYLOADS) {
      for (const sizeElements of [10, 1e5]) {
        const what = `${runtime} ${transport} ${payload} ${sizeElements}`;
        const r = await runTransfer({ runtime, transport, payload, sizeElements }, { timeoutSeconds: 60 });
        assert.equal(r.ok, true, `${what}: ${r.error}`);
        assert.ok(r.verifySeconds !== null, `${what}: verified`);
        // An int32 payload is built in the region itself; a list is packed into it, once.
        assert.equal(r.copies, payload === 'int32' ? 0 : 1, what);
        assert.equal(r.encodeSeconds === null, payload === 'int32', `${what}: encode ${r.encodeSeconds}`);
        assert.equal(r.firstTouch, 'sender', what);
        assert.equal(r.memory, 'fresh', what);
        assert.equal(r.bytes, 4 * sizeElements, what);
        assert.ok(r.totalSeconds !== null && r.totalSeconds > 0 && r.totalSeconds < 5, `${what}: total ${r.totalSeconds} s`);
      }
    }
  }
  await assertNothingLeft();
}

test('both hand-overs carry a list and an Int32Array intact at 10 and 1e5: no copy for int32, one for a list', () => assertCarries('node'));

for (const runtime of ['bun', 'deno'] as const) {
  const missing = engineProblem(ENGINES[runtime]);
  test(`${runtime}: both hand-overs carry both payloads intact at 10 and 1e5`, { skip: missing ?? false }, () => assertCarries(runtime));
}

const FAULTS: [Fault, string, (transport: string) => RegExp][] = [
  ['corrupt', 'verify', () => /^data arrived corrupted: element 50000 is -1, expected 50000$/],
  // The header announces every element, the region holds half: the receiver refuses to map it.
  [
    'close-early',
    'transfer',
    (t) =>
      new RegExp(
        `^the receiver failed: ${t === 'handoff' ? 'mapReadOnly' : 'mapPathReadOnly'}: the region holds 200000 bytes, fewer than the 400000 announced$`,
      ),
  ],
  ['kill-sender', 'transfer', () => /^the sender was killed by SIGKILL before reporting$/],
  ['kill-receiver', 'transfer', () => /^the receiver was killed by SIGKILL before reporting$/],
];

for (const transport of TRANSPORTS) {
  test(`${transport}: every fault is a failed record naming it, and nothing is left`, async () => {
    for (const [fault, phase, reason] of FAULTS) {
      const r = await runTransfer({ runtime: 'node', transport, payload: 'int32', sizeElements: 1e5 }, { timeoutSeconds: 30, fault });
      assert.equal(r.ok, false, fault);
      assert.equal(r.failedPhase, phase, r.error);
      assert.match(r.error, reason(transport));
      assert.match(describeFailure(r, { spec: r }), new RegExp(`^node ${transport} int32 1e5: failed \\(${phase}\\): `));
      await assertNothingLeft();
    }
  });
}

test('handoff-name: the runner names the region in the shared-memory root, as a killed run’s sweepable file, and removes it', () => {
  const spec = { runtime: 'node', transport: 'handoff-name', payload: 'int32', sizeElements: 10 } as const;
  const prepared = handoffName.prepare!(spec, { tmpDir: iso.tmpRoot, shmDir: iso.shmRoot });
  const shmPath = String(prepared.shmPath);
  assert.equal(path.dirname(shmPath), sharedMemoryRoot());
  assert.match(path.basename(shmPath), new RegExp(`^ipc-lab-region-p${process.pid}-[A-Za-z0-9]{6}$`));
  assert.deepEqual(handoffName.leftovers!(prepared), [shmPath]);
  assert.equal(fs.existsSync(shmPath), false, 'the sender creates it, not prepare');
});

test('the hand-over header: "IPCH", kind and count, little-endian; a bad one is one line', () => {
  const header = encodeHandoffHeader({ kind: HANDOFF_KIND.name, sizeElements: 1e8 });
  assert.deepEqual([...header], [0x49, 0x50, 0x43, 0x48, 2, 0, 0, 0, 0x00, 0xe1, 0xf5, 0x05, 0, 0, 0, 0]);
  assert.deepEqual(decodeHandoffHeader(header), { kind: 2, sizeElements: 1e8 });
  assert.throws(() => decodeHandoffHeader(header.subarray(0, 12)), /^Error: hand-over header: 12 bytes, expected 16$/);
  const bad = header.slice();
  bad[0] = 0;
  assert.throws(() => decodeHandoffHeader(bad), /magic 0x48435000, expected 0x48435049 \("IPCH"\)$/);
  const kind = header.slice();
  kind[4] = 3;
  assert.throws(() => decodeHandoffHeader(kind), /kind 3, expected 1 \(memfd\) or 2 \(name\)$/);
  assert.throws(() => encodeHandoffHeader({ kind: HANDOFF_KIND.memfd, sizeElements: -1 }), /whole number >= 0, not -1$/);
});

test('a sealed memfd refuses writes, a writable mapping and a size change; seals() shows the bits', () => {
  const { fd, buffer } = native.memfdCreate(4 * 4096);
  new Int32Array(buffer).fill(7);
  try {
    native.seal(fd);
    const F_SEAL = { SEAL: 1, SHRINK: 2, GROW: 4, WRITE: 8, FUTURE_WRITE: 0x10 };
    assert.equal(native.seals(fd), F_SEAL.SEAL | F_SEAL.SHRINK | F_SEAL.GROW | F_SEAL.FUTURE_WRITE);
    assert.equal(native.seals(fd) & F_SEAL.WRITE, 0, 'not F_SEAL_WRITE: the sender’s own mapping would forbid it');
    assert.throws(() => fs.writeSync(fd, Buffer.from([1]), 0, 1, 0), { code: 'EPERM' });
    // Opening it again for writing succeeds (a seal is on the file, not on opens); writing through it does not.
    const again = fs.openSync(`/proc/self/fd/${fd}`, 'r+');
    try {
      assert.throws(() => fs.writeSync(again, Buffer.from([1]), 0, 1, 0), { code: 'EPERM' });
    } finally {
      fs.closeSync(again);
    }
    // shm.c's map opens O_RDWR and maps PROT_WRITE, MAP_SHARED: refused.
    assert.throws(
      () => mapSharedFile(`/proc/self/fd/${fd}`, 4096),
      /^Error: map: mmap failed for \/proc\/self\/fd\/\d+: Operation not permitted$/,
    );
    assert.throws(() => fs.truncateSync(`/proc/self/fd/${fd}`, 4096), { code: 'EPERM' });
    assert.throws(() => fs.truncateSync(`/proc/self/fd/${fd}`, 8 * 4096), { code: 'EPERM' });
    assert.throws(
      () => native.mapReadOnly(fd, 8 * 4096),
      /^RangeError: mapReadOnly: the region holds 16384 bytes, fewer than the 32768 announced$/,
    );
    assert.equal(new Int32Array(native.mapReadOnly(fd, 4 * 4096))[4095], 7);
  } finally {
    native.protect(buffer);
    native.closeFd(fd);
  }
  assert.throws(
    () => native.protect(new ArrayBuffer(8)),
    /^TypeError: protect: this ArrayBuffer is not a mapping made by memfdCreate or createNamed$/,
  );
  assert.throws(() => native.seal(fd), /^Error: seal: fcntl\(F_ADD_SEALS\) failed: Bad file descriptor$/);
  assert.equal(native.memfdCreate(0).buffer.byteLength, 0, 'an empty region is an empty buffer');
});

/** Run `body` in a child Node with `a` the addon; its exit code, signal and output. */
function childWithAddon(body: string) {
  const code = `const a = require(${JSON.stringify(SHM_ADDON_PATH)}); ${body}`;
  return spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 10_000 });
}

test('writing into a read-only mapping kills the writer with SIGSEGV: the receiver’s, and the sender’s after protect()', () => {
  const fill = 'const m = a.memfdCreate(4096); new Int32Array(m.buffer).fill(1); a.seal(m.fd);';
  const receiver = childWithAddon(
    `${fill} const view = new Int32Array(a.mapReadOnly(m.fd, 4096)); console.log('read', view[9]); view[9] = 2; console.log('wrote');`,
  );
  assert.equal(receiver.signal, 'SIGSEGV', `status ${receiver.status}, stderr ${receiver.stderr}`);
  assert.equal(receiver.stdout, 'read 1\n');
  const sender = childWithAddon(
    `${fill} const view = new Int32Array(m.buffer); a.protect(m.buffer); console.log('read', view[9]); view[9] = 2;`,
  );
  assert.equal(sender.signal, 'SIGSEGV', `status ${sender.status}, stderr ${sender.stderr}`);
  assert.equal(sender.stdout, 'read 1\n');
});

test('the sender killed after the hand-over: the receiver keeps valid data', async () => {
  const count = 1 << 20;
  const socketPath = path.join(iso.tmpRoot, 'kept.sock');
  const listenFd = native.unixListen(socketPath);
  assert.equal(fs.statSync(socketPath).mode & 0o777, 0o600, 'the socket file is born 0600');
  const header = [...encodeHandoffHeader({ kind: HANDOFF_KIND.memfd, sizeElements: count })];
  // Child A builds, seals, hands over, says so, then waits to be killed.
  const sender = spawn(
    process.execPath,
    [
      '-e',
      `const a = require(${JSON.stringify(SHM_ADDON_PATH)});
       const m = a.memfdCreate(${4 * count}); const v = new Int32Array(m.buffer);
       for (let i = 0; i < v.length; i++) v[i] = i;
       a.seal(m.fd);
       a.sendHandoff(a.unixConnect(${JSON.stringify(socketPath)}), new Uint8Array(${JSON.stringify(header)}), m.fd);
       console.log('sent'); setInterval(() => {}, 1e9);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) => sender.on('exit', (_code, signal) => resolve(signal)));
  let sock = -1;
  let fd = -1;
  try {
    await new Promise<void>((resolve, reject) => {
      sender.stdout!.on('data', (chunk: Buffer) => (chunk.toString().includes('sent') ? resolve() : undefined));
      sender.on('exit', () => reject(new Error('the sender child ended before handing over')));
      setTimeout(() => reject(new Error('no hand-over within 10 s')), 10_000).unref();
    });
    sock = native.unixAccept(listenFd); // already in the backlog: returns at once
    const message = native.recvHandoff(sock, 16);
    assert.ok(message && message.fd >= 0, 'the message carried a descriptor');
    fd = message.fd;
    const { sizeElements } = decodeHandoffHeader(message.header);
    assert.equal(sizeElements, count);
    const before = new Int32Array(native.mapReadOnly(fd, 4 * sizeElements));
    sender.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    // The pages belong to the memfd, which this process still holds: the mapping made before the
    // death and one made after both see every element.
    const afterDeath = new Int32Array(native.mapReadOnly(fd, 4 * sizeElements));
    for (const view of [before, afterDeath]) {
      for (let i = 0; i < count; i++) if (view[i] !== i) assert.fail(`element ${i} is ${view[i]}, expected ${i}`);
    }
    assert.equal(native.seals(fd) & 0x17, 0x17, 'still sealed');
  } finally {
    sender.kill('SIGKILL');
    for (const open of [fd, sock, listenFd]) if (open >= 0) native.closeFd(open);
    fs.rmSync(socketPath, { force: true });
  }
  await assertNothingLeft();
});
