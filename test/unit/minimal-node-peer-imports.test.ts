import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';

// The minimal Node program measures bare Node: its files may load Node's own modules and each
// other, nothing else (not ipc-lab, not a package), and it is copied alone into a temp dir to run.
const PEER_DIR = path.join(__dirname, '../../lib/measure/message-limits/minimal-node-peer');

test('the minimal Node program imports only node:* and its own files', () => {
  const files = fs.readdirSync(PEER_DIR).filter((name) => name.endsWith('.ts'));
  assert.ok(files.includes('main.ts'), `its entry point main.ts is in ${PEER_DIR}`);
  const own = new Set(files.map((name) => `./${name.replace(/\.ts$/, '')}`));
  for (const name of files) {
    const imports = ts.preProcessFile(fs.readFileSync(path.join(PEER_DIR, name), 'utf8'), true, true).importedFiles;
    assert.ok(imports.length > 0, `${name} imports something (the scan works)`);
    for (const { fileName } of imports) {
      assert.ok(fileName.startsWith('node:') || own.has(fileName), `${name} imports ${JSON.stringify(fileName)}`);
    }
  }
});
