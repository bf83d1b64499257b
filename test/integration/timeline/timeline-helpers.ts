/** A studio back end on a fresh project, called through dispatch (schema validation included). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudio, type Studio } from '../../../src/main/api/studio.ts';
import { dispatch } from '../../../src/main/api/dispatch.ts';
import { ApiError } from '../../../src/shared/api/errors.ts';
import type { ApiInput, ApiOutput, MethodName } from '../../../src/shared/api/contract.ts';
import type { MediaItem, ProjectSnapshot } from '../../../src/shared/project/types.ts';
import { afterEach, beforeEach, expect } from 'vitest';
import { REPO_ROOT, tempDir } from '../project/store-helpers.ts';

export const SPEECH_DIR = join(REPO_ROOT, '../shared/data/speech');
export const DEMO_SPEECH = join(REPO_ROOT, 'resources/demo/speech.wav');

export interface TestStudio {
  studio: Studio;
  dir: string;
  call<M extends MethodName>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** The error a call fails with (fails the test if it succeeds). */
  fail<M extends MethodName>(method: M, input: ApiInput<M>): Promise<ApiError>;
  importFile(path: string, name?: string): Promise<MediaItem>;
}

/** A studio with a new project; given the `dir` of an earlier one, a studio on the same library and config, no project open. */
export async function openTestStudio(reuseDir?: string): Promise<TestStudio> {
  const dir = reuseDir ?? tempDir('sps-timeline-');
  const studio = createStudio({ transport: 'web', projectsDir: join(dir, 'library'), configDir: join(dir, 'config'), appVersion: 'test', resourcesDir: REPO_ROOT });
  const ctx = { signal: new AbortController().signal };
  const call = async <M extends MethodName>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> => {
    const reply = await dispatch(studio.handlers, method, input, ctx);
    if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
    return reply.result as ApiOutput<M>;
  };
  const fail = async <M extends MethodName>(method: M, input: ApiInput<M>): Promise<ApiError> => {
    const reply = await dispatch(studio.handlers, method, input, ctx);
    if (reply.ok) throw new Error(`${method} was expected to fail`);
    return new ApiError(reply.error.code, reply.error.message);
  };
  const importFile = async (path: string, name = path.split('/').pop() ?? 'audio.wav'): Promise<MediaItem> =>
    (await call('media.import', { name, bytes: new Uint8Array(readFileSync(path)) })).item;
  if (reuseDir === undefined) await call('project.create', { name: 'Timeline test' });
  return { studio, dir, call, fail, importFile };
}

/** A studio on a new project with two speech lines imported: the demo speech (5.95 s) and a real one (4.51 s). */
export async function openStudioWithTwoLines(): Promise<{ t: TestStudio; speech: MediaItem; other: MediaItem }> {
  const t = await openTestStudio();
  const speech = await t.importFile(DEMO_SPEECH);
  const other = await t.importFile(join(SPEECH_DIR, 'echomimic_echomimic.wav'));
  return { t, speech, other };
}

export interface TwoLineStudio {
  t: TestStudio;
  speech: MediaItem;
  other: MediaItem;
  /** Adds a clip of `mediaId` (the demo speech by default) at `startS` and returns its id. */
  addClip(startS: number, mediaId?: string): Promise<string>;
}

/** For a describe file: a fresh openStudioWithTwoLines before each test, disposed after it. */
export function useStudioWithTwoLines(): TwoLineStudio {
  const lines = {} as TwoLineStudio;
  beforeEach(async () => {
    Object.assign(lines, await openStudioWithTwoLines());
  });
  afterEach(() => lines.t.studio.dispose());
  lines.addClip = (startS, mediaId = lines.speech.id) => addClipOf(lines.t, mediaId, startS);
  return lines;
}

/** Adds a clip of `mediaId` at `startS` and returns the new clip's id. */
export async function addClipOf(t: TestStudio, mediaId: string, startS: number): Promise<string> {
  const before = new Set((await t.call('project.current', {}))!.clips.map((c) => c.id));
  const after = await t.call('timeline.addClip', { mediaId, startS });
  return after.clips.find((c) => !before.has(c.id))!.id;
}

/** The parts of a snapshot an undo must restore exactly (not the history or revision). */
export function content(s: ProjectSnapshot): Pick<ProjectSnapshot, 'media' | 'tracks' | 'clips' | 'cameraKeys' | 'timeWarp' | 'avatars'> {
  return { media: s.media, tracks: s.tracks, clips: s.clips, cameraKeys: s.cameraKeys, timeWarp: s.timeWarp, avatars: s.avatars };
}

export { orbitKey } from '../../helpers/camera-keys.ts';

/**
 * Runs an edit and checks the undo log round trip: undo gives back exactly the content before,
 * redo exactly the content after. Returns the snapshot after the edit.
 */
export async function expectUndoable(t: TestStudio, edit: () => Promise<ProjectSnapshot>, label?: string): Promise<ProjectSnapshot> {
  const before = (await t.call('project.current', {}))!;
  const after = await edit();
  expect(after.history.canUndo).toBe(true);
  if (label !== undefined) expect(after.history.undoLabel).toBe(label);
  const undone = await t.call('history.undo', {});
  expect(content(undone)).toEqual(content(before));
  const redone = await t.call('history.redo', {});
  expect(content(redone)).toEqual(content(after));
  return redone;
}
