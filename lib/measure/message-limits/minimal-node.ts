import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { warmupMessages } from '../messages/message';
import { makePrivateDir } from '../tempdir';
import type { MessageLimitRequest, RawLimitResult } from './row';
import { type LimitRunOptions, runLimitProgram } from './spawn-limit';

/**
 * Minimal Node: the program in minimal-node-peer/ run as plain JavaScript by this very `node`, so
 * that neither ts-node nor ipc-lab is loaded in the processes being measured. Its files are
 * transpiled once per process (TypeScript's transpileModule, no type-check: tsc checks them with
 * the rest of lib/) and written into each run's private 0700 temp dir, which also holds its FIFOs
 * or Unix socket; main.js is the entry point. They import nothing but node:* and each other, so
 * the copies run there as they are.
 */
const PEER_DIR = path.join(__dirname, 'minimal-node-peer');
const PEER_ENTRY = 'main.js';

/** Each file's JavaScript by its name in the temp dir (`links.ts` → `links.js`). */
let transpiled: Map<string, string> | null = null;

function peerJavaScript(): Map<string, string> {
  if (transpiled === null) {
    // Loaded here, not at the top: only a minimal-Node run pays for the compiler.
    const ts = require('typescript') as typeof import('typescript');
    const files = new Map<string, string>();
    for (const name of fs.readdirSync(PEER_DIR).filter((file) => file.endsWith('.ts'))) {
      const source = path.join(PEER_DIR, name);
      const output = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: source,
      });
      files.set(name.replace(/\.ts$/, '.js'), output.outputText);
    }
    transpiled = files;
  }
  return transpiled;
}

/** Run the minimal Node ping-pong or stream once. */
export async function runMinimalNode(request: MessageLimitRequest, options: LimitRunOptions = {}): Promise<RawLimitResult> {
  const files = peerJavaScript();
  const dir = makePrivateDir(os.tmpdir(), 'msgnode');
  try {
    for (const [name, code] of files) fs.writeFileSync(path.join(dir, name), code, { mode: 0o600 });
    const entry = path.join(dir, PEER_ENTRY);
    const args = [entry, '--channel', request.channel, '--pattern', request.pattern, '--bytes', String(request.messageBytes)];
    args.push('--messages', String(request.messages), '--warmup', String(warmupMessages(request.messages)), '--dir', dir);
    return await runLimitProgram('the minimal Node program', process.execPath, args, { ...process.env, TMPDIR: dir }, options);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
