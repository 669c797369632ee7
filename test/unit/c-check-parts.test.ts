import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../../lib/model/paths';
import { cSources, findNodeInclude, nodeIncludeDirs, problemLines } from '../../tools/lint/c-check';

// The C lint's pure parts (tools/lint/c-check.ts): where Node's headers are looked for, what of a
// compiler's stderr is a problem, and that binding.gyp builds every C file the check compiles.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'c-check-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const context = { env: {}, execPath: '/opt/node-v20/bin/node', nodeVersion: '20.1.2', homeDir: '/home/u' };

test("Node's headers are looked for in node-gyp's order: npm's nodedir, node-gyp's cache, the node binary's prefix", () => {
  assert.deepEqual(nodeIncludeDirs(context), ['/home/u/.cache/node-gyp/20.1.2/include/node', '/opt/node-v20/include/node']);
  const env = { npm_config_nodedir: '~/src/node', XDG_CACHE_HOME: '/var/cache/u' };
  assert.deepEqual(nodeIncludeDirs({ ...context, env }), [
    '/home/u/src/node/include/node',
    '/var/cache/u/node-gyp/20.1.2/include/node',
    '/opt/node-v20/include/node',
  ]);
  // npm_config_devdir (node-gyp's --devdir) wins over the cache dir.
  assert.equal(nodeIncludeDirs({ ...context, env: { npm_config_devdir: '/dev-headers' } })[0], '/dev-headers/20.1.2/include/node');
  // A nodedir equal to the prefix is looked at once.
  assert.deepEqual(nodeIncludeDirs({ ...context, env: { npm_config_nodedir: '/opt/node-v20' } }), [
    '/opt/node-v20/include/node',
    '/home/u/.cache/node-gyp/20.1.2/include/node',
  ]);
});

test('the first folder holding node_api.h is used; none gives one line naming every place looked', () => {
  const empty = path.join(root, 'empty');
  const headers = path.join(root, 'headers');
  fs.mkdirSync(empty);
  fs.mkdirSync(headers);
  fs.writeFileSync(path.join(headers, 'node_api.h'), '');
  assert.equal(findNodeInclude([path.join(root, 'missing'), empty, headers]), headers);
  const error = findNodeInclude([path.join(root, 'missing'), empty]);
  assert.ok(error instanceof Error);
  assert.doesNotMatch(error.message, /\n/);
  assert.ok(error.message.includes(path.join(root, 'missing')) && error.message.includes(empty), error.message);
  assert.match(error.message, /node_api\.h.*npm ci.*npm_config_nodedir/);
});

test("a compiler's stderr gives one line per located problem, without its context lines", () => {
  const stderr = [
    "native/a.c: In function 'f':",
    "native/a.c:12:7: error: unused variable 'n' [-Werror=unused-variable]",
    '   12 |   int n;',
    '      |       ^',
    'In file included from native/b.c:3:',
    'native/b.h:4:1: warning: no newline at end of file',
    "native/c.c:9: error: expected ';' before '}' token",
    'native/d.c:1:10: fatal error: node_api.h: No such file or directory',
    'native/a.c:20:3: note: declared here',
    'cc1: all warnings being treated as errors',
    '',
  ].join('\n');
  assert.deepEqual(problemLines(stderr), [
    "native/a.c:12:7: error: unused variable 'n' [-Werror=unused-variable]",
    'native/b.h:4:1: warning: no newline at end of file',
    "native/c.c:9: error: expected ';' before '}' token",
    'native/d.c:1:10: fatal error: node_api.h: No such file or directory',
  ]);
  assert.deepEqual(problemLines(''), []);
});

test('binding.gyp builds every C file in native/, and names none that is missing', () => {
  const gyp = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'native', 'binding.gyp'), 'utf8')) as {
    targets: { sources: string[] }[];
  };
  const listed = new Set(gyp.targets.flatMap((t) => t.sources));
  const onDisk = cSources(path.join(REPO_ROOT, 'native')).map((file) => path.basename(file));
  assert.ok(onDisk.length > 0);
  assert.deepEqual([...listed].sort(), onDisk);
});
