/**
 * Writes test/golden/logmel/logmel-v1.ts.json: the TypeScript side's golden vectors of logmel-v1,
 * which test/python/audio/test_golden.py checks the Python front-end against.
 *
 *   PATH=$PWD/node_modules/.bin:$PATH node test/golden/logmel/make-golden-ts.ts   (repo root)
 *
 * Twin: training/splatportrait/audio/make_golden.py (writes logmel-v1.python.json).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLogMelSpec } from '../../../src/shared/audio/spec.ts';
import { buildGolden } from './golden-format.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const spec = parseLogMelSpec(JSON.parse(readFileSync(join(root, 'resources', 'audio-frontend', 'logmel-v1.json'), 'utf8')));
const out = join(here, 'logmel-v1.ts.json');
writeFileSync(out, `${JSON.stringify(buildGolden(spec))}\n`);
console.log(`wrote ${relative(root, out)}`);
