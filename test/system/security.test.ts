import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { runTransfer } from '../../lib/measure/runner/run-transfer';
import type { Fault, TransferSpec } from '../../lib/model/types';
import { type Isolation, isolate } from '../helpers/isolation';

/**
 * What other users of the machine can reach while a transfer runs: listening sockets bind
 * loopback only; temp dirs are 0700, Unix sockets and data files 0600; the one shell the runner
 * starts runs a constant script, with everything else as positional parameters. Checked during
 * a transfer held open by a fault (a sender that never becomes ready keeps the receiver listening).
 */
let iso: Isolation;
before(() => (iso = isolate('security')));
after(() => iso.dispose());

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

/** Every file under a root, depth first. */
function walk(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(root, entry.name);
    return entry.isDirectory() ? [full, ...walk(full)] : [full];
  });
}

/** Run a transfer with a fault that holds it open; call `inspect` once `ready()` holds, then let it time out. */
async function during(spec: TransferSpec, fault: Fault, ready: () => boolean, inspect: () => void): Promise<void> {
  const running = runTransfer(spec, { fault, timeoutSeconds: 3 });
  const deadline = Date.now() + 3000;
  while (!ready()) {
    assert.ok(Date.now() < deadline, 'the transfer never reached the state to inspect');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  inspect();
  const r = await running;
  assert.equal(r.failedPhase, 'timeout', r.error);
  assert.deepEqual(await iso.waitForNoProcesses(), []);
  assert.deepEqual(iso.leftoverFiles(), []);
}

function assertPrivate(root: string): void {
  const files = walk(root);
  assert.ok(files.length > 0, `nothing under ${root}`);
  for (const file of files) {
    const stat = fs.statSync(file);
    const expected = stat.isDirectory() ? 0o700 : 0o600;
    assert.equal(mode(file).toString(8), expected.toString(8), `mode of ${file}`);
  }
}

const node = (transport: string): TransferSpec => ({ runtime: 'node', transport, payload: 'int32', sizeElements: 1000 });
const has = (root: string, name: RegExp) => () => walk(root).some((file) => name.test(path.basename(file)));

test('unix: the temp dir is 0700 and the socket 0600', async () => {
  await during(node('unix'), 'sender-never-ready', has(iso.tmpRoot, /^receiver\.sock$/), () => assertPrivate(iso.tmpRoot));
});

test('manager: the broker socket is 0600 in a 0700 dir', async () => {
  await during(node('manager'), 'sender-never-ready', has(iso.tmpRoot, /^manager\.sock$/), () => assertPrivate(iso.tmpRoot));
});

test('shared-array: the shared-memory dir is 0700 and the region 0600', async () => {
  await during(node('shared-array'), 'sender-never-ready', has(iso.shmRoot, /^shared-array$/), () => assertPrivate(iso.shmRoot));
});

test('file: the payload file is 0600 in a 0700 dir', async () => {
  await during(node('file'), 'receiver-hangs', has(iso.tmpRoot, /^payload\.bin$/), () => {
    assertPrivate(iso.tmpRoot);
    assertPrivate(iso.shmRoot);
  });
});

/** TCP sockets in LISTEN state held by the test's processes, as "address:port" in /proc/net/tcp's hex. */
function listeningSockets(): string[] {
  const inodes = new Set<string>();
  for (const pid of iso.livingProcesses()) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode) inodes.add(inode);
      }
    } catch {
      /* gone meanwhile */
    }
  }
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A' && inodes.has(fields[9])) found.push(fields[1]);
    }
  }
  return found;
}

for (const spec of [node('tcp'), { runtime: 'cpython', transport: 'tcp', payload: 'list', sizeElements: 1000 } as TransferSpec]) {
  test(`${spec.runtime} tcp: the receiver listens on 127.0.0.1 only`, async () => {
    let sockets: string[] = [];
    await during(
      spec,
      spec.runtime === 'node' ? 'sender-never-ready' : 'receiver-hangs',
      () => {
        sockets = listeningSockets();
        return sockets.length > 0;
      },
      () => {
        for (const address of sockets) assert.match(address, /^0100007F:[0-9A-F]{4}$/, `listening on ${address}, not loopback`);
      },
    );
  });
}

test('the shell of the pipe transport runs a constant script; the spec travels as a parameter', async () => {
  let argv: string[] = [];
  const shell = (): boolean => {
    for (const pid of iso.livingProcesses()) {
      try {
        const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (args[0] === '/bin/sh') argv = args;
      } catch {
        /* gone meanwhile */
      }
    }
    return argv.length > 0;
  };
  await during(node('pipe'), 'sender-never-ready', shell, () => {
    assert.equal(argv[1], '-c');
    assert.ok(!argv[2].includes('transport') && !argv[2].includes('sizeElements'), `the script holds no part of the spec: ${argv[2]}`);
    assert.equal(JSON.parse(argv[4]).spec.transport, 'pipe', 'the spec is a positional parameter');
  });
});
