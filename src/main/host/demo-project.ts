/**
 * The bundled demo project: a portrait and a line of speech made by the project (resources/demo),
 * imported into "Demo.splatproj" in the project library the first time, the portrait turned into
 * an avatar and the speech placed on the timeline (it bakes in the background), then opened.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_EXTENSION, type ProjectSnapshot } from '../../shared/project/types.ts';
import type { Studio } from '../api/studio.ts';

const DEMO_NAME = 'Demo';
const DEMO_MEDIA = ['portrait.png', 'speech.wav'];

export async function openDemoProject(studio: Studio, resourcesDir: string, projectsDir: string): Promise<ProjectSnapshot> {
  const signal = new AbortController().signal;
  const ctx = { signal };
  const path = join(projectsDir, `${DEMO_NAME}${PROJECT_EXTENSION}`);
  if (existsSync(path)) return studio.handlers['project.open']({ path }, ctx);
  await studio.handlers['project.create']({ name: DEMO_NAME }, ctx);
  const imported = [];
  for (const file of DEMO_MEDIA) {
    const bytes = readFileSync(join(resourcesDir, 'resources', 'demo', file));
    imported.push((await studio.handlers['media.import']({ name: file, bytes: new Uint8Array(bytes) }, ctx)).item);
  }
  const [portrait, speech] = imported;
  try {
    if (portrait) await studio.handlers['avatar.create']({ portraitMediaId: portrait.id }, ctx);
    if (speech) await studio.handlers['timeline.addClip']({ mediaId: speech.id }, ctx);
  } catch (error) {
    // The demo still opens with its media; the studio shows the same error when the user retries.
    process.stderr.write(`The demo avatar could not be made: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  const snapshot = await studio.handlers['project.current']({}, ctx);
  if (!snapshot) throw new Error('The demo project did not open');
  return snapshot;
}
