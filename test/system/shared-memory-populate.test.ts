/**
 * The shared-memory addon maps with MAP_POPULATE (native/shm.c): a peer that maps the pre-touched
 * region before the clock has its page tables filled there, so the timed copy into the region
 * (raw-array's and shared-array's send) takes no minor fault per 4 KiB page. Without the flag
 * every page written takes one: measured at 10^8 int32, 97 657 faults and 3.7× the floor's set
 * into touched memory (FINDINGS of issue 20). A system test: it needs the built addon and the
 * shared-memory root; the region is removed however the test ends.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createSharedFile, mapSharedFile, sharedMemoryRoot } from '../../lib/measure/shared-memory';
import { makePrivateDir } from '../../lib/measure/tempdir';

const PAGE_BYTES = 4096;
const REGION_BYTES = 32 * 1024 * 1024;

test('writing every page of a freshly mapped, pre-touched region takes (almost) no minor page fault', () => {
  const dir = makePrivateDir(sharedMemoryRoot(), 'populate');
  try {
    const file = path.join(dir, 'region');
    createSharedFile(file, REGION_BYTES, { touch: true }); // as regionPlumbing's prepare makes it
    const view = new Int32Array(mapSharedFile(file, REGION_BYTES));
    const pages = REGION_BYTES / PAGE_BYTES;
    const wordsPerPage = PAGE_BYTES / Int32Array.BYTES_PER_ELEMENT;
    const before = process.resourceUsage().minorPageFault;
    for (let word = 0; word < view.length; word += wordsPerPage) view[word] = 1;
    const faults = process.resourceUsage().minorPageFault - before;
    assert.ok(
      faults < pages / 10,
      `${faults} minor faults writing ${pages} pages of a fresh mapping: the mapping's page tables were not filled at map time (MAP_POPULATE)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
