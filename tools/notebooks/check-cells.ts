/**
 * Type-checks every notebook's code cells without Jupyter: each notebook source's cells are
 * written, in order, into one module under a private temp dir inside the repository (imports
 * first, the rest inside an async function, as tslab runs top-level await), and tsc checks them
 * with tslab's non-strict settings. A cell that calls a renamed function fails `npm run typecheck`
 * here, in seconds, instead of a notebook run that takes half an hour.
 *
 *   node -r ts-node/register/transpile-only tools/notebooks/check-cells.ts
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/model/paths';
import { loadSources, type NotebookSource } from './make-notebook';

/** One module holding a notebook's code cells: imports hoisted, statements in an async body. */
export function cellsModule(nb: NotebookSource): string {
  const imports: string[] = [];
  const body: string[] = [];
  for (const cell of nb.cells.filter((c) => c.kind === 'code')) {
    for (const line of cell.source.split('\n')) {
      // The kernel runs in the repository root; the module sits one folder below it.
      if (/^\s*import\s/.test(line)) imports.push(line.replace(/from '\.\/lib\//, "from '../lib/"));
      else body.push(`  ${line}`);
    }
  }
  return `${imports.join('\n')}\n\nexport async function run(): Promise<void> {\n${body.join('\n')}\n}\n`;
}

function main(): number {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, '.cells-check-'));
  try {
    const files = loadSources().map((nb) => {
      const file = path.join(dir, `${nb.name.replace(/[^\w]/g, '_')}.ts`);
      fs.writeFileSync(file, cellsModule(nb));
      return file;
    });
    const config = {
      extends: path.join(REPO_ROOT, 'tsconfig.json'),
      compilerOptions: { strict: false, noImplicitAny: false, noEmit: true },
      files,
      include: [],
    };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    const tsc = require.resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`.replace(/\S*\.cells-check-\w+\//g, 'notebook cells of ');
    if (run.status !== 0) {
      process.stderr.write(output);
      process.stderr.write(`the code cells of ${files.length} notebooks do not type-check (see above)\n`);
      return 1;
    }
    process.stdout.write(`code cells of ${files.length} notebooks type-check\n`);
    return 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main();
