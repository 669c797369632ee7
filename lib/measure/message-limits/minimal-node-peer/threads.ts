import { MessageChannel, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Config } from './args';
import { messageLink, windowFor } from './links';
import { drive, type Outcome, report, serve } from './roles';

/** The `port` channel: a MessageChannel between two worker threads, each playing one role. */

/** Inside a worker started by portMain: play the role it was given over its port, post the outcome. */
export function workerMain(): void {
  const { cfg, port, role } = workerData as { cfg: Config; port: MessagePort; role: string };
  const window = cfg.pattern === 'rate' ? windowFor(cfg.bytes) : null;
  const link = messageLink(
    (value) => {
      port.postMessage(value);
      return true;
    },
    (h) => port.on('message', h),
    window,
  );
  (role === 'client' ? drive(cfg, link) : serve(cfg, link)).then(
    (outcome) => parentPort!.postMessage(outcome),
    (error) => parentPort!.postMessage({ error: `${role === 'client' ? 'client' : 'server'}: ${(error as Error).message}` }),
  );
}

/** Start the server and the client worker from `entry` (they run workerMain), then report both. */
export async function portMain(cfg: Config, entry: string): Promise<void> {
  const { port1, port2 } = new MessageChannel();
  const start = (role: string, port: MessagePort) =>
    new Promise<Outcome>((resolve, reject) => {
      const worker = new Worker(entry, { workerData: { cfg, port, role }, transferList: [port] });
      worker.once('message', (m: Outcome & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the ${role} worker exited with code ${code}`)));
    });
  const [server, client] = await Promise.all([start('server', port2), start('client', port1)]);
  report(cfg, client, server);
  process.exit(0);
}
