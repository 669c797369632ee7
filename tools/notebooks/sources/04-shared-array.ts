import { methodNotebook } from '../method-template';

export const notebook = methodNotebook({
  name: '04-shared-array',
  articleMethod: 'shared memory (Array)',
  title: 'Shared memory (Array): one element at a time, under a lock',
  howItWorks: `
The article's \`multiprocessing.Array(ctypes.c_int, n)\` is a fixed-size C int array in shared memory
with a lock. \`arr[:] = d\` takes the lock and converts each Python int into the array one by one;
the receiver copies it back out into a Python list. Shared memory has no "the data is complete"
signal of its own, so a separate \`Value\` flag tells the receiver when to read.

Node.js shares memory two ways, and both are rows here:

- \`shared-array\` — **between two processes**: both map the same file in a private \`/dev/shm\`
  directory through ipc-lab's small N-API addon (\`native/shm.c\`; Node has no \`mmap\`).
- \`shared-array-thread\` — **between two worker threads**: a \`SharedArrayBuffer\`.

Either way the sender takes a spin lock (\`Atomics.compareExchange\` on a header word, which works
across processes on shared pages), writes the elements one by one, releases it and sets the
completion flag; the receiver polls the flag (\`Atomics.wait\` cannot wake another process), takes
the lock and copies the elements out one by one, into a list or an \`Int32Array\` like the one sent.`,
  reading: `
- Writing element by element costs a conversion per element whatever the payload, so send is close
  for the list and the Int32Array. Receive differs: for the list, the receiver rebuilds a plain
  array of 10⁸ numbers one push at a time, for the Int32Array it fills a typed array.
- The region is fresh memory for every transfer: the first write to each page faults it in, which
  shows in send (the bench sets it against \`TypedArray.set\` into fresh and reused memory).
- Processes and threads can be compared directly: once mapped, shared pages are just memory; what
  differs is how each side gets at them.`,
});
