import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preferFromEnv } from '../../lib/notebook/report';

test('IPC_LAB_PREFER: run by default, saved on request, anything else a one-line error', () => {
  assert.equal(preferFromEnv({}), 'run');
  assert.equal(preferFromEnv({ IPC_LAB_PREFER: 'saved' }), 'saved');
  assert.equal(preferFromEnv({ IPC_LAB_PREFER: 'run' }), 'run');
  assert.throws(() => preferFromEnv({ IPC_LAB_PREFER: 'cached' }), /IPC_LAB_PREFER "cached" is not valid: valid are run .* and saved/);
});
