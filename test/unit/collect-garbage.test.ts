/**
 * collectGarbage (lib/measure/collect-garbage.ts): a full collection on demand, without starting
 * Node with --expose-gc, in the main thread and in a worker thread (where the floor's operations
 * run). An object nothing refers to any more is gone after it: its WeakRef is empty.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { collectGarbage } from '../../lib/measure/collect-garbage';

/** A WeakRef to a fresh object no one else holds (made in its own function, so no local keeps it). */
function weakToGarbage(): WeakRef<object> {
  return new WeakRef({ items: new Array(1000).fill(7) });
}

test('collectGarbage collects an object nothing refers to', async () => {
  const ref = weakToGarbage();
  // A WeakRef's target is kept to the end of the job that made or read it: collect in a later one.
  await new Promise((resolve) => setImmediate(resolve));
  collectGarbage();
  assert.equal(ref.deref(), undefined, 'still alive after a full collection');
});

test('collectGarbage works in a worker thread with a heap limit, as the floor runs it', async () => {
  const source = `
    require('ts-node/register/transpile-only');
    const { parentPort } = require('node:worker_threads');
    const { collectGarbage } = require(${JSON.stringify(require.resolve('../../lib/measure/collect-garbage'))});
    const make = () => new WeakRef({ items: new Array(1000).fill(7) });
    const ref = make();
    setImmediate(() => { collectGarbage(); parentPort.postMessage(ref.deref() === undefined); });
  `;
  const collected = await new Promise<boolean>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 256 } });
    worker.once('message', (m: boolean) => {
      resolve(m);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
  assert.equal(collected, true, 'the worker still held its garbage after collectGarbage');
});
