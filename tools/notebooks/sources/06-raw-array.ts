import { articleLogged, articleSend, methodNotebook } from '../method-template';

export const notebook = methodNotebook({
  name: '06-raw-array',
  articleMethod: 'RawArray',
  title: 'RawArray: one bulk copy into shared memory',
  howItWorks: `
The article's \`multiprocessing.sharedctypes.RawArray\` is shared memory with no lock. The sender
first turns the list into a numpy array (${articleLogged('RawArray', 'encode')} of the ${articleSend('RawArray')} the article reports as send), copies
it into the shared array in one bulk operation and sets a flag; the receiver copies it out.

ipc-lab's \`raw-array\` (two processes, a \`/dev/shm\` file both map through the N-API addon) and
\`raw-array-thread\` (two worker threads, a \`SharedArrayBuffer\`) do the same: a list is packed into
an \`Int32Array\` — the numpy cast, timed as **encode** — then one \`TypedArray.set\` copies it into
the shared region (**send**), the flag is set, and the receiver, seeing the flag, copies the region
out with one \`slice()\` (**recv**) and holds an \`Int32Array\`.`,
  reading: `
- With an Int32Array there is nothing to convert: send and receive are each a single block copy.
- With the list, the packing (encode) is a large share, as the numpy cast is in the article.
- Both copies land in memory touched for the first time — the shared region in, the receiver's
  own array out — so page faults are part of send and recv; a program that reuses its shared
  region pays less (see \`npm run bench\`: \`TypedArray.set\` into fresh and into reused memory).`,
});
