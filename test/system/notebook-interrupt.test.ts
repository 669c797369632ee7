import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { loadResults } from '../../lib/sweep/results-files';
import { jupyterEnv, PYTHON } from '../../tools/notebooks/paths';
import { type Isolation, isolate } from '../helpers/isolation';
import { TYPESCRIPT_HOOK } from '../helpers/run-entry';

/**
 * Interrupting a notebook cell that runs a sweep, through the real stack: Jupyter's kernel
 * manager sends SIGINT to the tslab kernel, as the notebook's ■ button does. tslab's own SIGINT
 * handler ends the cell at once ("Interrupted asynchronously"); the sweep's handler stops the
 * running transfer and tears it down. Afterwards: the records so far are saved and load, no peer
 * runs, no temp file is left, and the kernel still runs cells (with the sweep's handlers gone).
 */
const REPO = path.resolve(__dirname, '..', '..');
let iso: Isolation;
before(() => (iso = isolate('notebook-interrupt')));
after(() => iso.dispose());

const DRIVER = String.raw`
import json, os, sys, time
from jupyter_client.manager import KernelManager
repo, out = sys.argv[1], sys.argv[2]
records = os.path.join(out, 'records.json')
km = KernelManager(kernel_name='tslab')
km.start_kernel(cwd=repo)
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)
def run(code, timeout, while_running=None):
    msg_id = kc.execute(code)
    texts, status, deadline = [], None, time.time() + timeout
    while status is None and time.time() < deadline and km.is_alive():
        if while_running: while_running()
        try:
            msg = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            continue
        if msg['parent_header'].get('msg_id') != msg_id: continue
        if msg['msg_type'] == 'stream': texts.append(msg['content']['text'])
        if msg['msg_type'] == 'error': texts.append(msg['content']['evalue'])
        if msg['msg_type'] == 'status' and msg['content']['execution_state'] == 'idle': status = 'idle'
    return ''.join(texts), status
interrupted = []
def interrupt_after_first_record():
    if interrupted: return
    try:
        with open(records) as f:
            if len(json.load(f)['records']) >= 1:
                km.interrupt_kernel(); interrupted.append(time.time())
    except (OSError, ValueError, KeyError):
        pass
sweep = ("import { runSweep } from './lib/sweep/sweep';\n"
         "await runSweep({ config: { runtimes: ['node'], transports: ['pipe'], payloads: ['int32'], sizes: [1e5],"
         " repeats: 200, warmups: 0 }, outDir: " + json.dumps(out) + ", quiet: true, options: { timeoutSeconds: 60 } });")
first, first_status = run(sweep, 120, interrupt_after_first_record)
ended = time.time()
time.sleep(2)  # the sweep's teardown goes on after the cell has ended
alive = km.is_alive()
second, second_status = ('', None) if not alive else run("import { activeTransferCount } from './lib/measure/runner/run-transfer';\n"
                            "await new Promise((resolve) => setImmediate(resolve));\n"  # out of breakOnSigint's window
                            "console.log('after', activeTransferCount(), process.listenerCount('SIGINT'), process.listenerCount('SIGTERM'));", 60)
kc.stop_channels(); km.shutdown_kernel(now=False)
print(json.dumps({'alive': alive, 'first': first, 'firstStatus': first_status, 'interrupted': bool(interrupted),
                  'secondsToEnd': (ended - interrupted[0]) if interrupted else None,
                  'second': second, 'secondStatus': second_status}))
`;

test('interrupting a notebook cell stops its sweep, saves its records and leaves the kernel usable', {
  timeout: 200_000,
}, async () => {
  const out = path.join(iso.tmpRoot, 'results', 'notebook');
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(PYTHON, ['-c', DRIVER, REPO, out], { cwd: REPO, env: jupyterEnv(), timeout: 190_000 }, (error, text, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(text),
    ),
  );
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
    alive: boolean;
    first: string;
    firstStatus: string;
    interrupted: boolean;
    secondsToEnd: number;
    second: string;
    secondStatus: string;
  };
  assert.ok(result.interrupted, `never saw a first record: ${result.first}`);
  assert.ok(result.alive, 'the kernel survived the interrupt');
  assert.equal(result.firstStatus, 'idle', 'the interrupted cell ended');
  assert.ok(result.secondsToEnd < 5, `the cell took ${result.secondsToEnd} s to end`);
  // No transfer running, and only tslab's own SIGINT handler left (the sweep removed its own).
  assert.match(result.second, /after 0 1 0/, result.second);
  const { records } = loadResults(out);
  assert.ok(records.length >= 1 && records.length < 200, `${records.length} records`);
  for (const r of records.slice(0, -1)) assert.equal(r.ok, true, r.error);
  const last = records[records.length - 1];
  if (!last.ok) assert.equal(last.failedPhase, 'interrupted', last.error);
  assert.deepEqual(await iso.waitForNoProcesses(10_000), [], 'kernel and peers gone');
  const left = iso.leftoverFiles().filter((file) => file !== path.dirname(out) && !/^v8-compile-cache/.test(path.basename(file)));
  assert.deepEqual(left, [], 'no temp dir or shared-memory file left');
  for (const name of fs.readdirSync(out)) assert.match(name, /^records\.(json|csv)$/);
});

/**
 * Ctrl-C on `npm run notebooks` while a sweep runs: the terminal signals execute.ts's process
 * group; execute.ts forwards it to its nbclient driver (in a group of its own), which interrupts
 * and shuts down the kernel (in yet another group) with its peers. Nothing may be left running.
 */
test('Ctrl-C on the main job stops the notebook, its driver, kernel and peers, and exits 130', { timeout: 200_000 }, async () => {
  const executed = path.join(iso.tmpRoot, 'executed');
  const results = path.join(iso.tmpRoot, 'results', 'main-job');
  const args = ['-r', TYPESCRIPT_HOOK, 'tools/notebooks/execute.ts', '01-pipe-size-sweep'];
  const child = spawn(process.execPath, [...args, '--scale', 'smoke', '--out-dir', executed, '--no-html'], {
    cwd: REPO,
    env: { ...process.env, IPC_LAB_RESULTS_DIR: results },
    detached: true, // its own process group, as a terminal's foreground job has
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const firstTransfer = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (/\[1\/\d+\] node pipe/.test(stdout)) resolve();
    }),
  );
  const seen = await Promise.race([firstTransfer.then(() => true), exited.then(() => false)]);
  assert.ok(seen, `no transfer line before the job ended: ${stdout}${stderr}`);
  process.kill(-(child.pid as number), 'SIGINT');
  const code = await exited;
  assert.equal(code, 130, `${stdout}${stderr}`);
  // Stopped in the one run before the notebooks (usual), or in the notebook when that run had ended.
  assert.match(stdout, /interrupted by SIGINT while measuring: no notebook ran|01-pipe-size-sweep: FAILED: interrupted by SIGINT/);
  assert.match(stdout, /0 of 1 notebooks ok \(interrupted by SIGINT\)/);
  assert.deepEqual(await iso.waitForNoProcesses(20_000), [], 'driver, kernel and peers gone');
  assert.ok(!fs.existsSync(path.join(executed, '01-pipe-size-sweep.ipynb')), 'no half-run notebook saved');
  const left = iso
    .leftoverFiles()
    .filter((file) => ![executed, path.dirname(results)].includes(file) && !/^v8-compile-cache/.test(path.basename(file)));
  assert.deepEqual(left, [], 'no temp dir or shared-memory file left');
});
