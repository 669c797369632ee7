/** The notebooks' experiments at each scale: quick sits between smoke and the article's scale. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTEBOOK_EXPERIMENTS, parseScale, SCALES, scaleFromEnv } from '../../lib/sweep/experiments';

const largest = (configs: { sizes: number[] }[]) => Math.max(...configs.flatMap((c) => c.sizes));

test('every experiment has every scale; quick runs sizes up to 10^7 once each, with no warm-up', () => {
  assert.deepEqual(SCALES, ['smoke', 'quick', 'article']);
  for (const def of NOTEBOOK_EXPERIMENTS) {
    for (const scale of SCALES) assert.ok(def.configs[scale]?.length >= 1, `${def.name} at ${scale}`);
    for (const config of def.configs.quick) {
      assert.ok(Math.max(...config.sizes) <= 1e7, `${def.name}: quick sizes ${config.sizes}`);
      assert.equal(config.repeats, 1, `${def.name}: quick repeats`);
      assert.equal(config.warmups, 0, `${def.name}: quick warm-ups`);
    }
    assert.ok(largest(def.configs.smoke) <= largest(def.configs.quick), `${def.name}: smoke is not larger than quick`);
    assert.ok(largest(def.configs.quick) <= largest(def.configs.article), `${def.name}: quick is not larger than article`);
    assert.deepEqual(
      def.configs.quick.map((c) => [c.runtimes, c.transports, c.payloads]),
      def.configs.article.map((c) => [c.runtimes, c.transports, c.payloads]).slice(0, def.configs.quick.length),
      `${def.name}: quick measures what the article's scale measures`,
    );
  }
});

test('the scale comes from IPC_LAB_SCALE, article by default; a bad one is one line naming it and the valid ones', () => {
  assert.equal(scaleFromEnv({}), 'article');
  assert.equal(scaleFromEnv({ IPC_LAB_SCALE: 'quick' }), 'quick');
  assert.throws(() => scaleFromEnv({ IPC_LAB_SCALE: 'fast' }), {
    name: 'UsageError',
    message: 'IPC_LAB_SCALE "fast" is not a scale: valid are smoke, quick, article',
  });
  assert.throws(() => parseScale('Quick', '--scale'), { message: '--scale "Quick" is not a scale: valid are smoke, quick, article' });
});
