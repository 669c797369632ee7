/**
 * The CLI's named sweeps (`--preset NAME`): ready-made SweepConfigs for the article's two
 * experiments, as data. (The notebooks' experiments, which also save and reload their results,
 * are lib/sweep/experiments.ts.)
 */
import { unknownNameError } from '../model/names';
import type { SweepConfig } from '../sweep/plan';

/** A named sweep, as data. */
export interface SweepPreset {
  name: string;
  /** One line: what it measures. */
  description: string;
  config: SweepConfig;
}

/** The article's sizes, 10 to 10^8 elements. */
const ARTICLE_SIZES = [10, 1e5, 1e6, 1e7, 1e8];

/** Named presets, in the order `--help` lists them. */
export const SWEEP_PRESETS: readonly SweepPreset[] = [
  {
    name: 'article-pipe',
    description: "the article's Pipe size sweep: one list through a pipe, 10 to 10^8 elements",
    config: { runtimes: ['node'], transports: ['pipe'], payloads: ['list'], sizes: ARTICLE_SIZES, repeats: 1, warmups: 0 },
  },
  {
    name: 'article-methods',
    description: "the article's comparison of methods: a list of 10^8 elements through every transport",
    config: { runtimes: ['node'], transports: 'all', payloads: ['list'], sizes: [1e8], repeats: 1, warmups: 0 },
  },
];

/** The preset called `name` (a copy, safe to change), or a UsageError suggesting the nearest. */
export function findPreset(name: string): SweepPreset {
  const preset = SWEEP_PRESETS.find((e) => e.name === name);
  if (!preset)
    throw unknownNameError(
      'preset',
      name,
      SWEEP_PRESETS.map((e) => e.name),
    );
  const { config } = preset;
  return {
    ...preset,
    config: {
      ...config,
      runtimes: [...config.runtimes],
      transports: config.transports === 'all' ? 'all' : [...config.transports],
      payloads: [...config.payloads],
      sizes: [...config.sizes],
    },
  };
}
