import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { warmupMessages } from '../messages/message';
import { makePrivateDir } from '../tempdir';
import type { MessageLimitRequest, RawLimitResult } from './row';
import { type LimitRunOptions, runLimitProgram } from './spawn-limit';

/**
 * Minimal Node: minimal-node-peer.ts run as plain JavaScript by this very `node`, so that neither
 * ts-node nor ipc-lab is loaded in the processes being measured. It is transpiled once per
 * process (TypeScript's transpileModule, no type-check: tsc checks it with the rest of lib/) and
 * written into each run's private 0700 temp dir, which also holds its FIFOs or Unix socket.
 */
const PEER_SOURCE = path.join(__dirname, 'minimal-node-peer.ts');

let transpiled: string | null = null;

function peerJavaScript(): string {
  if (transpiled === null) {
    // Loaded here, not at the top: only a minimal-Node run pays for the compiler.
    const ts = require('typescript') as typeof import('typescript');
    const source = fs.readFileSync(PEER_SOURCE, 'utf8');
    const output = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: PEER_SOURCE,
    });
    transpiled = output.outputText;
  }
  return transpiled;
}

/** Run the minimal Node ping-pong or stream once. */
export async function runMinimalNode(request: MessageLimitRequest, options: LimitRunOptions = {}): Promise<RawLimitResult> {
  const code = peerJavaScript();
  const dir = makePrivateDir(os.tmpdir(), 'msgnode');
  try {
    const entry = path.join(dir, 'minimal-node-peer.js');
    fs.writeFileSync(entry, code, { mode: 0o600 });
    const args = [entry, '--channel', request.channel, '--pattern', request.pattern, '--bytes', String(request.messageBytes)];
    args.push('--messages', String(request.messages), '--warmup', String(warmupMessages(request.messages)), '--dir', dir);
    return await runLimitProgram('the minimal Node program', process.execPath, args, { ...process.env, TMPDIR: dir }, options);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
