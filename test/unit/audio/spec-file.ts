/** Reads the shipped spec resources/audio-frontend/logmel-v1.json (tests run under Node). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogMelSpec, type LogMelSpec } from '../../../src/shared/audio/spec.ts';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const SPEC_PATH = join(ROOT, 'resources', 'audio-frontend', 'logmel-v1.json');

export function specJson(): Record<string, unknown> {
  return JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Record<string, unknown>;
}

export function loadSpec(): LogMelSpec {
  return parseLogMelSpec(specJson());
}
