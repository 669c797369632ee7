import { parentPort } from 'node:worker_threads';
import { type FloorOpRequest, FloorOpSession } from './floor-ops';

/**
 * The worker thread that runs a plan's floor operations (started by lib/sweep/floor-worker.ts).
 * It lives as long as the plan, so the payload and an encode's bytes stay in its heap between
 * operations — several GB for a list of 10^8, which its own heap limit is sized for — and
 * answers each request with one typed message.
 */
const session = new FloorOpSession();
parentPort?.on('message', (request: FloorOpRequest) => {
  parentPort?.postMessage(session.run(request));
});
