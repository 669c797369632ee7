import * as fs from 'node:fs';

/** The minimal Node program's command line (see main.ts): the arguments in, one line and an exit status out. */

/** The channels (see main.ts for what each is). */
export const CHANNELS = ['pipe', 'unix', 'tcp', 'pipe-v8', 'unix-v8', 'tcp-v8', 'port', 'ipc', 'ipc-json'];
/** A ping-pong (`roundtrip`) or a one-way stream (`rate`). */
export const PATTERNS = ['roundtrip', 'rate'];

/** One run, as the command line gave it. */
export interface Config {
  channel: string;
  /** The byte stream under a stream channel (`unix` for unix and unix-v8), else null. */
  stream: 'pipe' | 'unix' | 'tcp' | null;
  /** Each message serialized with v8 behind a length (the -v8 channels), or its bytes as they are. */
  v8: boolean;
  pattern: string;
  bytes: number;
  messages: number;
  warmup: number;
  dir: string;
}

/** A bad argument: one line on stderr, exit status 2. */
export class Usage extends Error {}

/** The run the arguments ask for (the peer process also gets its role and the listener's address), or a Usage error. */
export function parseArgs(argv: string[]): Config & { role: string; address: string } {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!/^--(channel|pattern|bytes|messages|warmup|dir|role|address)$/.test(name))
      throw new Usage(`unknown argument ${JSON.stringify(name)}`);
    if (i + 1 >= argv.length) throw new Usage(`${name} needs a value`);
    given.set(name.slice(2), argv[i + 1]);
  }
  const whole = (name: string, min: number, max: number): number => {
    const text = given.get(name) ?? '';
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) throw new Usage(`--${name} ${JSON.stringify(text)} is not a whole number from ${min} to ${max}`);
    return value;
  };
  const channel = given.get('channel') ?? '';
  if (!CHANNELS.includes(channel)) throw new Usage(`--channel ${JSON.stringify(channel)} is not one of ${CHANNELS.join(', ')}`);
  const pattern = given.get('pattern') ?? '';
  if (!PATTERNS.includes(pattern)) throw new Usage(`--pattern ${JSON.stringify(pattern)} is not one of ${PATTERNS.join(', ')}`);
  const bytes = whole('bytes', 8, 1 << 20);
  if (channel === 'ipc-json' && bytes < 64)
    throw new Usage(`--bytes ${bytes} is too small for ipc-json: its object messages need at least 64 bytes`);
  const messages = whole('messages', 1, 1e7);
  const warmup = whole('warmup', 0, 1e6);
  const dir = given.get('dir') ?? '';
  if (!dir || !fs.existsSync(dir)) throw new Usage(`--dir ${JSON.stringify(dir)} is not an existing directory`);
  const base = channel.replace(/-v8$/, '');
  const stream = base === 'pipe' || base === 'unix' || base === 'tcp' ? base : null;
  const v8 = channel.endsWith('-v8');
  return {
    channel,
    stream,
    v8,
    pattern,
    bytes,
    messages,
    warmup,
    dir,
    role: given.get('role') ?? 'main',
    address: given.get('address') ?? '',
  };
}

/** End this process with one line on stderr: exit status 2 for a bad argument, 1 for a failure at run time. */
export function fail(error: unknown, prefix = ''): never {
  process.stderr.write(`minimal-node: ${prefix}${(error as Error).message ?? error}\n`);
  process.exit(error instanceof Usage ? 2 : 1);
}
