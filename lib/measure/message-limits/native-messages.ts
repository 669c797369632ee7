import * as fs from 'node:fs';
import * as os from 'node:os';
import { MSG_BASELINE_PATH, shownPath } from '../../model/paths';
import { warmupMessages } from '../messages/message';
import { makePrivateDir } from '../tempdir';
import type { MessageLimitRequest, RawLimitResult } from './row';
import { type LimitRunOptions, runLimitProgram } from './spawn-limit';

/**
 * The C floor for messages: native/msg_baseline.c, built by node-gyp at npm ci beside the addon.
 * Its Unix socket's dir lives in a private 0700 temp dir (its TMPDIR), removed however it ends.
 */
export async function runNativeMessages(request: MessageLimitRequest, options: LimitRunOptions = {}): Promise<RawLimitResult> {
  if (!fs.existsSync(MSG_BASELINE_PATH))
    throw new Error(
      `the native message baseline ${shownPath(MSG_BASELINE_PATH)} is not built: run npm ci (it builds native/ with node-gyp)`,
    );
  const args = ['--channel', request.channel, '--pattern', request.pattern, '--bytes', String(request.messageBytes)];
  args.push('--messages', String(request.messages), '--warmup', String(warmupMessages(request.messages)));
  const tmpDir = makePrivateDir(os.tmpdir(), 'msgc');
  try {
    return await runLimitProgram('msg_baseline', MSG_BASELINE_PATH, args, { ...process.env, TMPDIR: tmpDir }, options);
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}
