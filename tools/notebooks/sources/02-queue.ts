import { articleSend, methodNotebook } from '../method-template';

export const notebook = methodNotebook({
  name: '02-queue',
  articleMethod: 'Queue',
  title: 'Queue: a message channel between two workers',
  howItWorks: `
In the article, \`multiprocessing.Queue\` carries the list: \`put\` hands it to a background thread
that pickles it and writes it into a pipe, so \`put\` returns at once, and the receiving process's
\`get\` reads and unpickles it. The article's send is therefore ${articleSend('Queue')}, and all the work shows on
the receiving side.

Node.js has no process queue; the closest thing is a **MessagePort between two worker threads**
(\`queue\`): \`postMessage\` copies the value with the structured clone algorithm (V8's serializer)
and the other thread takes it off the port — here by polling the port with
\`receiveMessageOnPort\`, as the article polls \`empty()\` before \`get()\`. Unlike Python's \`put\`,
\`postMessage\` serialises *before* it returns, so Node's send holds the cost that Python hides in
its feeder thread.

Beside it, \`transfer\`: the same port, but the \`Int32Array\`'s buffer is *moved* with a transfer
list instead of copied — the sender loses it, the receiver gets the same memory. A plain list
cannot be moved; it is packed into an \`Int32Array\` first (shown as encode).`,
  reading: `
- For the **list**, structured clone visits all 10⁸ elements on both sides: send holds the
  serialisation, receive the deserialisation that rebuilds the array element by element.
- For the **Int32Array**, the clone copies one block instead, so nothing is done per element; what
  is left is copying 400 MB twice, into memory that is touched for the first time (page faults) —
  still seconds at this size.
- **transfer** shows what moving instead of copying is worth: for an Int32Array, send and receive
  stay near zero whatever the size; for a list, all of the cost is the packing (encode).
- Threads share one process, so this is not the same boundary as the article's two processes —
  which is why the process transports (pipe, sockets, shared memory) have their own notebooks.`,
});
