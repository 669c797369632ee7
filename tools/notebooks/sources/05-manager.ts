import { methodNotebook } from '../method-template';

export const notebook = methodNotebook({
  name: '05-manager',
  articleMethod: 'Manager',
  title: 'Manager: a third process owns the list',
  howItWorks: `
The article's \`multiprocessing.Manager().list()\` lives in a separate server process; the sender
and the receiver only hold proxies, and every \`append\`, \`len\` and \`pop\` is a request to that
process over a socket, pickled there and back. The data crosses twice: sender → manager on
\`append\`, manager → receiver on \`pop\`.

ipc-lab's \`manager\` does the same with three Node processes: a broker listens on a Unix domain
socket in the transfer's private temp dir (SyncManager's default on Linux is a Unix socket too) and
answers length-prefixed V8 frames: \`append\`, \`len\`, \`pop\`. The broker decodes the payload into
its own heap on \`append\` and encodes it again on \`pop\`, as the manager's server unpickles and
re-pickles it. The receiver polls \`len()\` until the list has an item, then calls \`pop()\`.`,
  reading: `
- Everything the pipe pays, the manager pays twice, plus a decode and an encode in the broker:
  that is why it is the slowest method in the article.
- For the Int32Array, the serialisation is cheap, so what remains is mostly the copies through the
  broker.`,
});
