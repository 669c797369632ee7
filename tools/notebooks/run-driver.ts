/**
 * The child processes of `npm run notebooks`: the nbclient driver that executes one notebook
 * (run_notebook.py, whose JSON lines arrive as they are written) and the nbconvert HTML export.
 *
 * The driver runs in a process group of its own, so a terminal's Ctrl-C reaches only execute.ts,
 * which forwards it once (`Children.signal`): the driver's nbclient then interrupts the kernel and
 * shuts it down with its peers (the kernel has its own process group too, jupyter_client's doing).
 * Two signals at once would make nbclient start its shutdown twice. The driver also stops when
 * its stdin closes, i.e. when execute.ts is gone, however it went.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { PYTHON } from './paths';
import type { DriverEvent } from './progress-view';

const DRIVER = path.join(__dirname, 'run_notebook.py');

/** After a forwarded signal, the driver gets this long to shut its kernel down before it is killed. */
const SHUTDOWN_GRACE_MS = 30_000;

export interface ChildRun {
  ok: boolean;
  /** stderr (and, for a plain command, stdout) text, for the error line. */
  output: string;
}

/** The running children, so that a signal can be forwarded to them. */
export class Children {
  private readonly running = new Set<ChildProcess>();

  /** Forward `signal` to every running child, and kill the ones still there after a grace period. */
  signal(signal: NodeJS.Signals): void {
    for (const child of this.running) {
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_GRACE_MS).unref();
      child.once('exit', () => clearTimeout(killer));
    }
  }

  /** Run the driver on one notebook; `onEvent` gets each JSON line as it arrives. */
  driver(args: string[], env: NodeJS.ProcessEnv, onEvent: (event: DriverEvent) => void): Promise<ChildRun> {
    const child = spawn(PYTHON, [DRIVER, ...args], { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let event: DriverEvent;
      try {
        event = JSON.parse(line) as DriverEvent;
      } catch {
        return; // not ours: something in the driver printed to stdout
      }
      onEvent(event);
    });
    return this.track(child);
  }

  /** Run a plain command (the HTML export) in our own process group. */
  command(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
    return this.track(spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }), true);
  }

  private track(child: ChildProcess, keepStdout = false): Promise<ChildRun> {
    this.running.add(child);
    let output = '';
    const keep = (chunk: Buffer) => {
      // The tail is what says what went wrong; keep it bounded.
      output = (output + chunk.toString('utf8')).slice(-64 * 1024);
    };
    child.stderr?.on('data', keep);
    if (keepStdout) child.stdout?.on('data', keep);
    return new Promise((resolve) => {
      const end = (run: ChildRun) => {
        this.running.delete(child);
        resolve(run);
      };
      child.on('error', (error) => end({ ok: false, output: `${error.message} ${output}` }));
      child.on('close', (code, signal) => end({ ok: code === 0, output: signal ? `${output}\nended by ${signal}` : output }));
    });
  }
}
