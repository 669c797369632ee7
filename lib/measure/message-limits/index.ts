import { UsageError } from '../../model/usage-error';
import { runMinimalNode } from './minimal-node';
import { runNativeMessages } from './native-messages';
import {
  checkRequest,
  failedRow,
  type MessageLimitPattern,
  type MessageLimitRequest,
  type MessageLimitRow,
  type MessageLimitSource,
  rowFromResult,
} from './row';
import type { LimitRunOptions } from './spawn-limit';

export {
  C_MESSAGE_CHANNELS,
  failedRow,
  MESSAGE_LIMIT_CHANNELS,
  MESSAGE_LIMIT_PATTERNS,
  MESSAGE_LIMIT_SOURCES,
  type MessageLimitPattern,
  type MessageLimitRow,
  type MessageLimitSource,
  NODE_MINIMAL_CHANNELS,
} from './row';
export type { LimitRunOptions } from './spawn-limit';

/**
 * One run of a limit beside the message patterns: `messages` measured round trips or stream
 * messages of `messageBytes` over `channel`, by plain C (the machine's floor) or by a minimal
 * program on the bare Node API (what Node costs apart from ipc-lab). Throws a one-line UsageError
 * for a bad argument; never rejects for a run-time failure, which is a row with ok false and the
 * reason. Nothing is left running or on disk, however the run ends.
 */
export async function runMessageLimit(
  source: MessageLimitSource,
  channel: string,
  pattern: MessageLimitPattern,
  messageBytes: number,
  messages: number,
  options: LimitRunOptions = {},
): Promise<MessageLimitRow> {
  const request: MessageLimitRequest = { source, channel, pattern, messageBytes, messages };
  checkRequest(request);
  const { timeoutSeconds } = options;
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0))
    throw new UsageError(`timeoutSeconds ${timeoutSeconds} is not a positive number of seconds`);
  try {
    const raw = source === 'c' ? await runNativeMessages(request, options) : await runMinimalNode(request, options);
    return rowFromResult(request, raw);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return failedRow(request, (error as Error).message);
  }
}
