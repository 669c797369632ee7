import { methodNotebook } from '../method-template';

export const notebook = methodNotebook({
  name: '07-file',
  articleMethod: 'File',
  title: 'File: through a file and a completion flag',
  howItWorks: `
The article pickles the list into a file in a temporary directory, sets a shared \`Value\` flag, and
the receiver, seeing the flag, opens the file and unpickles it. A file has no "the writer is done"
marker of its own — a reader could see half of it — hence the flag.

ipc-lab's \`file\` serialises with \`v8.serialize\` into a file in the transfer's private (0700) temp
dir, then sets a completion flag in a word of shared memory (the same N-API mapping as the
shared-memory transports); the receiver polls the flag, reads the file whole and decodes it. The
file is removed with the temp dir after the transfer, whatever happens.`,
  reading: `
- The file adds a write and a read through the page cache to what a pipe does; with free memory,
  the data need not reach the disk during the transfer.
- Serialising and deserialising still dominate for the list; for the Int32Array, the copies
  through the page cache are most of it.`,
});
