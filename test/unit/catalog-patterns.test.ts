import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadTransport, MESSAGE_TRANSPORT_IDS } from '../../lib/measure/transports/index';
import { NODE_TRANSPORTS, patternsOf } from '../../lib/model/catalog';

// The catalog says which transports run which patterns; the code must agree, or a sweep would plan
// runs that can only fail (or leave out runs that would work).
test('a Node transport runs the message patterns exactly when the catalog says so, and the one-shot transfer unless it is message-only', () => {
  for (const info of NODE_TRANSPORTS) {
    const transport = loadTransport(info.id);
    const patterns = patternsOf(info);
    assert.equal(patterns.includes('roundtrip'), transport.messages !== undefined, `${info.id}: roundtrip in the catalog ⇔ messages()`);
    assert.equal(patterns.includes('rate'), transport.messages !== undefined, `${info.id}: rate in the catalog ⇔ messages()`);
    if (!patterns.includes('transfer')) {
      const reason = transport.limit?.({ runtime: 'node', transport: info.id, payload: 'int32', sizeElements: 10 });
      assert.match(String(reason), /messages/, `${info.id} refuses a transfer, saying why`);
    }
  }
  assert.deepEqual(
    MESSAGE_TRANSPORT_IDS,
    NODE_TRANSPORTS.filter((t) => patternsOf(t).includes('roundtrip')).map((t) => t.id),
  );
});
