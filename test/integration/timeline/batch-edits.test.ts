/**
 * Edits of a multi-selection through the studio back end and the real SQLite store: deleting
 * several clips, camera keys or time-warp segments is ONE undoable edit; and timeline.replaceMedia,
 * the clip inspector's "Replace audio…", keeps the clip's place and length or refuses clearly.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { content, DEMO_SPEECH, expectUndoable, orbitKey, useStudioWithTwoLines } from './timeline-helpers.ts';

const lines = useStudioWithTwoLines();
const { addClip } = lines;

describe('timeline.removeClips', () => {
  it('removes 3 clips in one edit: one undo restores all 3, redo removes all 3', async () => {
    const ids = [await addClip(0), await addClip(7), await addClip(14, lines.other.id)];
    const keep = await addClip(20);
    await lines.t.call('camera.addKey', { key: orbitKey(1, { clipId: ids[0]! }) });
    await lines.t.call('timewarp.add', { segment: { startS: 15, endS: 16, rate: 0, audioMode: 'pause', clipId: ids[2]! } });
    const before = (await lines.t.call('project.current', {}))!;

    const after = await lines.t.call('timeline.removeClips', { clipIds: ids });
    expect(after.clips.map((c) => c.id)).toEqual([keep]);
    expect(after.history.undoLabel).toBe('Remove 3 clips');
    // Tied items stay, untied, in the same edit.
    expect(after.cameraKeys).toMatchObject([{ timeS: 1, clipId: null }]);
    expect(after.timeWarp).toMatchObject([{ startS: 15, clipId: null }]);

    const undone = await lines.t.call('history.undo', {});
    expect(content(undone)).toEqual(content(before));
    expect(undone.clips).toHaveLength(4);
    expect(undone.history.undoLabel).not.toBe('Remove 3 clips');

    const redone = await lines.t.call('history.redo', {});
    expect(content(redone)).toEqual(content(after));
    expect(redone.clips.map((c) => c.id)).toEqual([keep]);
  });

  it('names the clip when there is one, ignores repeated ids, and refuses an unknown id without removing anything', async () => {
    const a = await addClip(0);
    const b = await addClip(7);
    await expectUndoable(lines.t, () => lines.t.call('timeline.removeClips', { clipIds: [a, a] }), `Remove clip ${lines.speech.name}`);
    const before = await lines.t.call('project.current', {});
    expect(await lines.t.fail('timeline.removeClips', { clipIds: [b, 'gone'] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await lines.t.call('project.current', {})).toEqual(before);
    expect(await lines.t.fail('timeline.removeClips', { clipIds: [] })).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('deleting several camera keys or time-warp segments', () => {
  it('camera.removeKeys removes 3 keys as one edit', async () => {
    for (const s of [1, 2, 3, 4]) await lines.t.call('camera.addKey', { key: orbitKey(s) });
    const keys = (await lines.t.call('project.current', {}))!.cameraKeys;
    const after = await expectUndoable(lines.t, () => lines.t.call('camera.removeKeys', { ids: keys.slice(0, 3).map((k) => k.id) }), 'Remove 3 camera keys');
    expect(after.cameraKeys.map((k) => k.timeS)).toEqual([4]);
  });

  it('timewarp.removeSegments removes 3 segments as one edit, and refuses an unknown id', async () => {
    for (const s of [1, 3, 5, 7]) await lines.t.call('timewarp.add', { segment: { startS: s, endS: s + 1, rate: 0.5, audioMode: 'silence', clipId: null } });
    const ids = (await lines.t.call('project.current', {}))!.timeWarp.map((s) => s.id);
    const after = await expectUndoable(lines.t, () => lines.t.call('timewarp.removeSegments', { ids: ids.slice(1) }), 'Remove 3 time-warp segments');
    expect(after.timeWarp.map((s) => s.startS)).toEqual([1]);
    expect(await lines.t.fail('timewarp.removeSegments', { ids: [ids[0]!, 'gone'] })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await lines.t.call('project.current', {}))!.timeWarp).toHaveLength(1);
  });
});

describe('timeline.replaceMedia', () => {
  it('keeps the start, gain, in point, length and ties; one undoable edit', async () => {
    const a = await addClip(1);
    await lines.t.call('timeline.updateClips', { label: 'Trim', changes: [{ clipId: a, trimInS: 0.5, trimOutS: 2, gain: 0.7 }] }); // plays 3.45 s
    await lines.t.call('camera.addKey', { key: orbitKey(2, { clipId: a }) });
    const after = await expectUndoable(lines.t, () => lines.t.call('timeline.replaceMedia', { clipId: a, mediaId: lines.other.id }), `Replace ${lines.speech.name} with ${lines.other.name}`);
    const clip = after.clips.find((c) => c.id === a)!;
    expect(clip).toMatchObject({ mediaId: lines.other.id, startS: 1, trimInS: 0.5, gain: 0.7 });
    expect(lines.other.durationS! - clip.trimInS - clip.trimOutS).toBeCloseTo(lines.speech.durationS! - 0.5 - 2, 9);
    expect(after.cameraKeys).toMatchObject([{ timeS: 2, clipId: a }]);
  });

  it('moves the in point earlier where the new media ends too soon, keeping the length', async () => {
    const a = await addClip(1);
    await lines.t.call('timeline.updateClips', { label: 'Trim', changes: [{ clipId: a, trimInS: 2, trimOutS: 0.5 }] }); // plays ~3.45 s from 2 s
    const after = await lines.t.call('timeline.replaceMedia', { clipId: a, mediaId: lines.other.id });
    const clip = after.clips.find((c) => c.id === a)!;
    expect(clip.startS).toBe(1);
    expect(clip.trimOutS).toBeCloseTo(0, 9);
    expect(clip.trimInS).toBeCloseTo(lines.other.durationS! - (lines.speech.durationS! - 2 - 0.5), 9);
  });

  it('refuses media shorter than the played length, naming both lengths, and changes nothing', async () => {
    const a = await addClip(1); // plays all 5.95 s
    const before = await lines.t.call('project.current', {});
    const error = await lines.t.fail('timeline.replaceMedia', { clipId: a, mediaId: lines.other.id });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(
      `The clip plays ${lines.speech.durationS!.toFixed(2)} s of ${lines.speech.name}, but ${lines.other.name} is only ${lines.other.durationS!.toFixed(2)} s long. Trim the clip to ${lines.other.durationS!.toFixed(2)} s or less first, or choose longer audio.`,
    );
    expect(await lines.t.call('project.current', {})).toEqual(before);
    // Trimmed to fit, the same replacement goes through.
    await lines.t.call('timeline.updateClips', { label: 'Trim', changes: [{ clipId: a, trimOutS: lines.speech.durationS! - lines.other.durationS! }] });
    const after = await lines.t.call('timeline.replaceMedia', { clipId: a, mediaId: lines.other.id });
    expect(after.clips[0]).toMatchObject({ mediaId: lines.other.id, trimInS: 0 });
  });

  it('refuses images and unknown ids', async () => {
    const a = await addClip(0);
    const image = await lines.t.importFile(join(DEMO_SPEECH, '../portrait.png'));
    expect(await lines.t.fail('timeline.replaceMedia', { clipId: a, mediaId: image.id })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/image/) });
    expect(await lines.t.fail('timeline.replaceMedia', { clipId: a, mediaId: 'gone' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await lines.t.fail('timeline.replaceMedia', { clipId: 'gone', mediaId: lines.other.id })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
