import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUN_ENGINE, DENO_ENGINE, engineProblem, NODE_ENGINE } from '../../lib/measure/runner/engines';

test('a missing binary named by IPC_LAB_BUN or IPC_LAB_DENO is blamed on the variable and its value', () => {
  for (const [engine, variable] of [
    [BUN_ENGINE, 'IPC_LAB_BUN'],
    [DENO_ENGINE, 'IPC_LAB_DENO'],
  ] as const) {
    const saved = process.env[variable];
    process.env[variable] = '/nowhere/bin/missing';
    try {
      const problem = engineProblem(engine);
      assert.equal(
        problem,
        `${variable} is "/nowhere/bin/missing", which is not an executable file: point it at the ${engine.runtime} binary, or unset it to use the pinned npm package's`,
      );
    } finally {
      if (saved === undefined) delete process.env[variable];
      else process.env[variable] = saved;
    }
  }
  assert.equal(engineProblem(NODE_ENGINE), null, 'Node is the runtime running this code');
});
