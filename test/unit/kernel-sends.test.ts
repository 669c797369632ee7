/**
 * The kernel's lost messages (lib/notebook/kernel-sends.ts), on real zeromq sockets like tslab's
 * IOPub: a Publisher bound to a Unix socket in a temp dir, a Subscriber reading everything.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { queueKernelSends, queueSends, type SendingPrototype } from '../../lib/notebook/kernel-sends';

interface Socket {
  sendHighWaterMark: number;
  receiveHighWaterMark: number;
  send(message: string): Promise<void>;
  bind(address: string): Promise<void>;
  connect(address: string): void;
  subscribe(): void;
  receive(): Promise<Buffer[]>;
  close(): void;
}
type SocketClass = new () => Socket;
const zeromq = require(require.resolve('zeromq', { paths: [require.resolve('tslab')] })) as {
  Publisher: SocketClass & { prototype: SendingPrototype<string> };
  Subscriber: SocketClass;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-kernel-sends-'));
const open: Socket[] = [];
after(() => {
  for (const socket of open) socket.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A publisher of `Publisher` with a subscriber connected to it, ready to receive. */
async function pair(Publisher: SocketClass, name: string): Promise<{ pub: Socket; received: (count: number) => Promise<string[]> }> {
  const address = `ipc://${path.join(dir, name)}`;
  const pub = new Publisher();
  const sub = new zeromq.Subscriber();
  open.push(pub, sub);
  // No limit on either queue (0): past its high-water mark (1000 by default) a publisher DROPS what a
  // slow subscriber has not taken yet, so on a busy machine a burst of 2000 lost some and the test
  // waited for them forever. The sends queued in user space, the subject here, are not affected.
  pub.sendHighWaterMark = 0;
  sub.receiveHighWaterMark = 0;
  await pub.bind(address);
  sub.connect(address);
  sub.subscribe();
  // A subscriber drops what was published before its subscription arrived: wait until it is in.
  // One receive stays pending meanwhile: zeromq allows one at a time.
  const first = sub.receive().then(() => true);
  for (;;) {
    await pub.send('hello');
    if (await Promise.race([first, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 50))])) break;
  }
  const received = async (count: number) => {
    const texts: string[] = [];
    while (texts.length < count) {
      const [frame] = await sub.receive();
      const text = frame.toString();
      if (text !== 'hello') texts.push(text);
    }
    return texts;
  };
  return { pub, received };
}

const burst = (n: number) => Array.from({ length: n }, (_, i) => `message ${i}`);

test("zeromq as tslab uses it: a burst of sends in one turn throws EBUSY past the 512th (the kernel's lost text)", async () => {
  const { pub } = await pair(zeromq.Publisher, 'plain');
  let thrown: unknown = null;
  let sent = 0;
  try {
    for (const message of burst(600)) {
      void pub.send(message);
      sent++;
    }
  } catch (error) {
    thrown = error;
  }
  assert.equal((thrown as { code?: string } | null)?.code, 'EBUSY', `all ${sent} sends went through`);
  assert.ok(sent > 500 && sent < 600, `the burst broke after ${sent} sends`);
});

test('queued sends: a burst of 2000 in one turn all arrive, in order, and each send resolves', async () => {
  class QueuedPublisher extends zeromq.Publisher {}
  queueSends(QueuedPublisher.prototype);
  queueSends(QueuedPublisher.prototype); // a second install changes nothing
  const { pub, received } = await pair(QueuedPublisher, 'queued');
  const messages = burst(2000);
  const sends = messages.map((m) => pub.send(m));
  assert.deepEqual(await received(messages.length), messages);
  await Promise.all(sends);
  // Another burst after the queue has drained goes through the same way.
  const more = burst(700).map((m) => `again ${m}`);
  const moreSends = more.map((m) => pub.send(m));
  assert.deepEqual(await received(more.length), more);
  await Promise.all(moreSends);
});

test('queued sends: an error other than EBUSY is still thrown', async () => {
  class QueuedPublisher extends zeromq.Publisher {}
  queueSends(QueuedPublisher.prototype);
  const closed = new QueuedPublisher();
  closed.close();
  assert.throws(
    () => closed.send('x'),
    (error: Error & { code?: string }) => error.code !== 'EBUSY',
  );
});

test('outside a tslab kernel nothing is patched', () => {
  const before = Object.getOwnPropertyDescriptor(zeromq.Publisher.prototype, 'send');
  assert.equal(queueKernelSends(), false);
  assert.deepEqual(Object.getOwnPropertyDescriptor(zeromq.Publisher.prototype, 'send'), before);
});
