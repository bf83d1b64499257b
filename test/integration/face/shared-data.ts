/** Where the shared real data lives for the face tests, and why a test skips without it. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/data relative to the project root (README of the shared data); $SPLAT_SHARED_DATA overrides. */
export const SHARED_DATA = process.env.SPLAT_SHARED_DATA ?? resolve(import.meta.dirname, '../../../../shared/data');
export const HAS_SHARED_DATA = existsSync(join(SHARED_DATA, 'MANIFEST.tsv'));
export const SKIP_REASON = `skipped: ${SHARED_DATA} (the shared real clips and portraits) is absent on this machine`;
