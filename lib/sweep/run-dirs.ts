/**
 * Finding runs on disk: the results directories (those holding a records.json) under a folder,
 * for the compare command's hints and the notebooks that load every run of a folder.
 */
import fs from 'node:fs';
import path from 'node:path';

/** How deep findRunDirs looks by default: folder/machine/run/records.json is depth 2. */
export const RUN_SEARCH_DEPTH = 3;

/**
 * Every directory at or under `folder` that holds a records.json, sorted by path, looking at most
 * `maxDepth` levels down (a bound, so a symlink loop cannot make it walk forever). Hidden
 * directories and node_modules are skipped; unreadable directories are passed over.
 */
export function findRunDirs(folder: string, maxDepth = RUN_SEARCH_DEPTH): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable or gone: not a run we can load
    }
    if (entries.some((entry) => entry.name === 'records.json' && (entry.isFile() || entry.isSymbolicLink()))) found.push(dir);
    if (depth >= maxDepth) return;
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = path.join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(child));
      if (isDir) visit(child, depth + 1);
    }
  };
  visit(folder, 0);
  return found.sort();
}

function isDirectory(target: string): boolean {
  try {
    return fs.statSync(target).isDirectory();
  } catch {
    return false;
  }
}
