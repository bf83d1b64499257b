/**
 * timeline.updateClips / splitClip / updateTrack / removeClip through the studio back end and the
 * real SQLite store: each is one undoable edit, and camera keys and time-warp segments tied to a
 * clip move with it, follow its halves, and are untied when it goes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SPEECH, expectUndoable, orbitKey, useStudioWithTwoLines } from './timeline-helpers.ts';

const lines = useStudioWithTwoLines();
const { addClip } = lines;

describe('timeline.updateClips', () => {
  it('moves several clips in one edit under the given label, and undo/redo restore exactly', async () => {
    const a = await addClip(0);
    const b = await addClip(10);
    const after = await expectUndoable(
      lines.t,
      () => lines.t.call('timeline.updateClips', { label: 'Move 2 clips', changes: [{ clipId: a, startS: 1 }, { clipId: b, startS: 12, gain: 0.5 }] }),
      'Move 2 clips',
    );
    expect(after.clips.find((c) => c.id === a)).toMatchObject({ startS: 1 });
    expect(after.clips.find((c) => c.id === b)).toMatchObject({ startS: 12, gain: 0.5 });
  });

  it('moves the camera keys and time-warp segments tied to a moved clip by the same delta, and leaves untied ones', async () => {
    const a = await addClip(2);
    await lines.t.call('camera.addKey', { key: orbitKey(2.5, { clipId: a }) });
    await lines.t.call('camera.addKey', { key: orbitKey(3, { clipId: null }) });
    await lines.t.call('timewarp.add', { segment: { startS: 4, endS: 5, rate: 0, audioMode: 'pause', clipId: a } });
    const after = await expectUndoable(lines.t, () => lines.t.call('timeline.updateClips', { label: 'Move clip', changes: [{ clipId: a, startS: 3.25 }] }));
    expect(after.cameraKeys.map((k) => [k.timeS, k.clipId])).toEqual([[3, null], [3.75, a]]);
    expect(after.timeWarp.map((s) => [s.startS, s.endS])).toEqual([[5.25, 6.25]]);
  });

  it('refuses a move that would push a tied segment onto another segment, naming the times, and changes nothing', async () => {
    const a = await addClip(0);
    await lines.t.call('timewarp.add', { segment: { startS: 1, endS: 2, rate: 0, audioMode: 'pause', clipId: a } });
    await lines.t.call('timewarp.add', { segment: { startS: 3, endS: 4, rate: 0.5, audioMode: 'silence', clipId: null } });
    const before = await lines.t.call('project.current', {});
    const error = await lines.t.fail('timeline.updateClips', { label: 'Move clip', changes: [{ clipId: a, startS: 1.5 }] });
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/overlap.*2\.5\.\.3\.5 s.*3\.\.4 s/);
    expect(await lines.t.call('project.current', {})).toEqual(before);
  });

  it('refuses a move that would put a tied key before 0', async () => {
    const a = await addClip(1);
    await lines.t.call('camera.addKey', { key: orbitKey(0.5, { clipId: a }) });
    const error = await lines.t.fail('timeline.updateClips', { label: 'Move clip', changes: [{ clipId: a, startS: 0 }] });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/before the timeline starts/) });
  });

  it('replaces the media keeping the in point, the length and the tied items', async () => {
    const a = await addClip(1);
    await lines.t.call('timeline.updateClips', { label: 'Trim', changes: [{ clipId: a, trimInS: 0.5, trimOutS: 2 }] }); // plays 3.45 s
    await lines.t.call('camera.addKey', { key: orbitKey(2, { clipId: a }) });
    const after = await expectUndoable(lines.t, () => lines.t.call('timeline.updateClips', { label: 'Replace audio', changes: [{ clipId: a, mediaId: lines.other.id }] }));
    const clip = after.clips.find((c) => c.id === a)!;
    expect(clip).toMatchObject({ mediaId: lines.other.id, startS: 1, trimInS: 0.5 });
    expect(lines.other.durationS! - clip.trimInS - clip.trimOutS).toBeCloseTo(lines.speech.durationS! - 0.5 - 2, 9);
    expect(after.cameraKeys).toMatchObject([{ timeS: 2, clipId: a }]);
  });

  it('moves a clip to another audio track, and refuses camera/time-warp tracks and images', async () => {
    const a = await addClip(0);
    const error = await lines.t.fail('timeline.updateClips', { label: 'Move', changes: [{ clipId: a, trackId: 'camera' }] });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/camera track/) });
    const image = (await lines.t.call('media.import', { name: 'p.png', bytes: new Uint8Array((await import('node:fs')).readFileSync(join(DEMO_SPEECH, '../portrait.png'))) })).item;
    expect(await lines.t.fail('timeline.updateClips', { label: 'Replace', changes: [{ clipId: a, mediaId: image.id }] })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await lines.t.fail('timeline.updateClips', { label: 'Move', changes: [{ clipId: a, trackId: 'nope' }] })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('validates trims against the media duration and MIN_CLIP_S, and unknown clips', async () => {
    const a = await addClip(0);
    const error = await lines.t.fail('timeline.updateClips', { label: 'Trim', changes: [{ clipId: a, trimInS: 3, trimOutS: 2.93 }] });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/less than 40 ms/) });
    expect(await lines.t.fail('timeline.updateClips', { label: 'Trim', changes: [{ clipId: 'gone', startS: 1 }] })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await lines.t.fail('timeline.updateClips', { label: 'Twice', changes: [{ clipId: a, startS: 1 }, { clipId: a, startS: 2 }] })).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('timeline.updateClip (one clip) moves ties too', async () => {
    const a = await addClip(0);
    await lines.t.call('camera.addKey', { key: orbitKey(1, { clipId: a }) });
    const after = await lines.t.call('timeline.updateClip', { clipId: a, startS: 2 });
    expect(after.cameraKeys[0]).toMatchObject({ timeS: 3, clipId: a });
  });
});

describe('timeline.splitClip', () => {
  it('cuts strictly inside: the right half starts at the cut with trimIn advanced; ties follow the half they fall in', async () => {
    const a = await addClip(1);
    await lines.t.call('timeline.updateClips', { label: 'Trim', changes: [{ clipId: a, trimInS: 0.25, trimOutS: 0.5 }] }); // 1 .. 6.198
    await lines.t.call('camera.addKey', { key: orbitKey(2, { clipId: a }) });
    await lines.t.call('camera.addKey', { key: orbitKey(4, { clipId: a }) });
    await lines.t.call('timewarp.add', { segment: { startS: 1.5, endS: 2.5, rate: 0, audioMode: 'pause', clipId: a } });
    await lines.t.call('timewarp.add', { segment: { startS: 3, endS: 3.5, rate: 0, audioMode: 'silence', clipId: a } });
    const after = await expectUndoable(lines.t, () => lines.t.call('timeline.splitClip', { clipId: a, atS: 3 }), `Split ${lines.speech.name}`);
    expect(after.clips).toHaveLength(2);
    const left = after.clips.find((c) => c.id === a)!;
    const right = after.clips.find((c) => c.id !== a)!;
    expect(left).toMatchObject({ startS: 1, trimInS: 0.25 });
    expect(left.trimOutS).toBeCloseTo(lines.speech.durationS! - 0.25 - 2, 12);
    expect(right).toMatchObject({ startS: 3, trimInS: 2.25, trimOutS: 0.5, mediaId: lines.speech.id, trackId: left.trackId, gain: left.gain });
    expect(after.cameraKeys.map((k) => [k.timeS, k.clipId])).toEqual([[2, a], [4, right.id]]);
    expect(after.timeWarp.map((s) => [s.startS, s.clipId])).toEqual([[1.5, a], [3, right.id]]);
  });

  it('refuses cuts at or outside the edges, or leaving less than 40 ms', async () => {
    const a = await addClip(1);
    for (const atS of [1, 0.5, 1.02, 1 + lines.speech.durationS! - 0.01, 1 + lines.speech.durationS!, 10]) {
      expect(await lines.t.fail('timeline.splitClip', { clipId: a, atS })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/must fall inside/) });
    }
  });
});

describe('timeline.updateTrack', () => {
  it('mutes, solos and sets gain, each undoable with a readable label', async () => {
    await expectUndoable(lines.t, () => lines.t.call('timeline.updateTrack', { trackId: 'audio-1', muted: true }), 'Mute Audio 1');
    await expectUndoable(lines.t, () => lines.t.call('timeline.updateTrack', { trackId: 'audio-1', solo: true }), 'Solo Audio 1');
    const after = await expectUndoable(lines.t, () => lines.t.call('timeline.updateTrack', { trackId: 'audio-1', gain: 0.25 }), 'Gain of Audio 1');
    expect(after.tracks.find((tr) => tr.id === 'audio-1')).toMatchObject({ muted: true, solo: true, gain: 0.25 });
    expect(await lines.t.fail('timeline.updateTrack', { trackId: 'camera', muted: true })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await lines.t.fail('timeline.updateTrack', { trackId: 'nope', muted: true })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('removing a clip', () => {
  it('unties its keys and segments in the same edit; undo reties them', async () => {
    const a = await addClip(0);
    await lines.t.call('camera.addKey', { key: orbitKey(1, { clipId: a }) });
    await lines.t.call('timewarp.add', { segment: { startS: 2, endS: 3, rate: 0, audioMode: 'pause', clipId: a } });
    const after = await expectUndoable(lines.t, () => lines.t.call('timeline.removeClip', { clipId: a }), `Remove clip ${lines.speech.name}`);
    expect(after.clips).toEqual([]);
    expect(after.cameraKeys).toMatchObject([{ timeS: 1, clipId: null }]);
    expect(after.timeWarp).toMatchObject([{ startS: 2, clipId: null }]);
  });

  it('removing the media removes its clips and unties their items in one edit', async () => {
    const a = await addClip(0);
    await lines.t.call('camera.addKey', { key: orbitKey(1, { clipId: a }) });
    const after = await expectUndoable(lines.t, () => lines.t.call('media.remove', { id: lines.speech.id }));
    expect(after.clips).toEqual([]);
    expect(after.cameraKeys).toMatchObject([{ clipId: null }]);
  });
});
