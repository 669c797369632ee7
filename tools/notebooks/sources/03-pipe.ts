import { V8_MAX_STRING_LENGTH } from '../../../lib/measure/codecs/json';
import { formatCount } from '../../../lib/model/format';
import { methodNotebook } from '../method-template';

export const notebook = methodNotebook({
  name: '03-pipe',
  articleMethod: 'Pipe',
  title: 'Pipe: an OS pipe between two processes',
  howItWorks: `
The article's \`multiprocessing.Pipe(duplex=False)\` is an anonymous OS pipe: \`send\` pickles the list
and writes the bytes, \`recv\` (after \`poll\` says data is there) reads and unpickles them.

ipc-lab's \`pipe\` is the same kernel object: \`/bin/sh\` starts the two peers as \`sender | receiver\`,
which creates an anonymous \`pipe(2)\` between them (Node's own child-process pipes are socketpairs,
not pipes). The sender serialises with \`v8.serialize\` — Node's pickle — and writes one
length-prefixed frame; the receiver allocates the whole buffer once, fills it and decodes it. As
in the article, send includes serialising and recv includes decoding.

Two Node-only rows sit beside it: \`ipc\` is \`child_process.fork\`'s IPC channel with \`process.send\`
and \`serialization: 'advanced'\` (V8's serializer), what most Node programs reach for first; and
\`ipc-json\`, the same channel with its default JSON serialization, which cannot carry 10⁸ integers
at all: the JSON text would be longer than V8's largest string (${formatCount(V8_MAX_STRING_LENGTH)} characters), so that
transfer is refused up front with the reason, in milliseconds.`,
  reading: `
- For the list, most of the time is V8 serialising and, even more, deserialising 10⁸ array
  elements: compare encode and decode with send and receive in the table.
- For the Int32Array, V8 writes the typed array as one block; what remains is the pipe itself —
  a kernel buffer of 64 KiB that Node reads chunk by chunk — and filling fresh memory at the
  receiver. \`npm run bench\` sets \`pipe\` against raw bytes through the same pipe.
- \`ipc\` pays the same serializer plus Node's message framing; \`ipc-json\` fails at 10⁸ by design —
  its failed record says why.`,
});
