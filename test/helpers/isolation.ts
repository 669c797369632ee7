import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Give a test file its own temp dirs and a tag that every process it starts inherits, so that it
 * can check "nothing left behind" without seeing what other test files do at the same time.
 */
export interface Isolation {
  tag: string;
  tmpRoot: string;
  shmRoot: string;
  /** Processes still alive that carry this test's tag in their environment. */
  livingProcesses(): number[];
  /** Whatever is left in the private temp roots. */
  leftoverFiles(): string[];
  /** Wait up to `ms` for the tagged processes to be gone; returns those still alive. */
  waitForNoProcesses(ms?: number): Promise<number[]>;
  dispose(): void;
}

export function isolate(name: string): Isolation {
  const tag = `${name}-${process.pid}-${Date.now()}`;
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), `ipc-lab-test-${name}-`));
  const shmRoot = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), `ipc-lab-test-${name}-`));
  const saved = { TMPDIR: process.env.TMPDIR, IPC_LAB_SHM_ROOT: process.env.IPC_LAB_SHM_ROOT, IPC_LAB_TAG: process.env.IPC_LAB_TAG };
  process.env.TMPDIR = tmpRoot;
  process.env.IPC_LAB_SHM_ROOT = shmRoot;
  process.env.IPC_LAB_TAG = tag;
  const livingProcesses = (): number[] => {
    const found: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        const environ = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
        const state = fs.readFileSync(`/proc/${entry}/stat`, 'latin1').split(') ')[1]?.[0];
        if (environ.includes(`IPC_LAB_TAG=${tag}\0`) && state !== 'Z') found.push(Number(entry));
      } catch {
        /* gone, or not ours to read */
      }
    }
    return found;
  };
  return {
    tag,
    tmpRoot,
    shmRoot,
    livingProcesses,
    leftoverFiles: () => [
      ...fs.readdirSync(tmpRoot).map((f) => path.join(tmpRoot, f)),
      ...fs.readdirSync(shmRoot).map((f) => path.join(shmRoot, f)),
    ],
    async waitForNoProcesses(ms = 3000) {
      const deadline = Date.now() + ms;
      let alive = livingProcesses();
      while (alive.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        alive = livingProcesses();
      }
      return alive;
    },
    dispose() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      fs.rmSync(tmpRoot, { recursive: true, force: true });
      fs.rmSync(shmRoot, { recursive: true, force: true });
    },
  };
}
