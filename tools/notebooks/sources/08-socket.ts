import { articleLogged, methodNotebook } from '../method-template';

export const notebook = methodNotebook({
  name: '08-socket',
  articleMethod: 'socket',
  title: 'socket: TCP on loopback, and a Unix domain socket',
  howItWorks: `
The article pickles the list, connects to a TCP server in the other process (a flag says the server
is up) and sends the bytes; the server reads until the end and unpickles. It times pickling and
unpickling apart from the socket calls — ${articleLogged('socket', 'encode')} and ${articleLogged('socket', 'decode')} against ${articleLogged('socket', 'send')} and ${articleLogged('socket', 'recv')} for the socket
itself — which is why its summary says "including pickle".

ipc-lab's \`tcp\`: the receiver listens on **127.0.0.1 with an ephemeral port** (never a fixed port,
never all interfaces) and tells the runner the port; the sender connects before the clock starts,
then serialises (\`v8.serialize\`, **encode**), writes one length-prefixed frame (**send**, until the
kernel has taken the last byte), and the receiver reads it into one preallocated buffer (**recv**,
first byte to last) and decodes it (**decode**). \`unix\` is the same over a Unix domain socket in
the transfer's private temp dir.`,
  reading: `
- As in the article, the socket is the small part for the list: serialising and deserialising
  10⁸ array elements is where the time goes (encode and decode in the table).
- For the Int32Array, encode and decode nearly vanish, and what is left is the socket and filling
  the receiver's fresh buffer (\`npm run bench\` sets it against raw bytes through the same socket).
- A Unix socket skips the TCP/IP stack; on loopback the difference is modest.`,
});
