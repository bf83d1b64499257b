/** camera.* and timewarp.* through the studio back end: one undoable edit each, validated. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectUndoable, openTestStudio, orbitKey, type TestStudio } from './timeline-helpers.ts';

let t: TestStudio;
beforeEach(async () => {
  t = await openTestStudio();
});
afterEach(() => t.studio.dispose());

describe('camera keys', () => {
  it('addKey adds, keeps keys sorted by time, and replaces a key within half a millisecond in place', async () => {
    await expectUndoable(t, () => t.call('camera.addKey', { key: orbitKey(2) }), 'Add camera key at 2.000 s');
    const first = await t.call('camera.addKey', { key: orbitKey(1) });
    expect(first.cameraKeys.map((k) => k.timeS)).toEqual([1, 2]);
    const id = first.cameraKeys[1]!.id;
    const replaced = await expectUndoable(t, () => t.call('camera.addKey', { key: orbitKey(2.0004, { yawDeg: 45 }) }), 'Replace camera key at 2.000 s');
    expect(replaced.cameraKeys).toHaveLength(2);
    expect(replaced.cameraKeys[1]).toMatchObject({ id, timeS: 2.0004, yawDeg: 45 });
    const separate = await t.call('camera.addKey', { key: orbitKey(2.0010) });
    expect(separate.cameraKeys).toHaveLength(3);
  });

  it('stores every field; an orbit key has no position, a free key needs one', async () => {
    const free = orbitKey(1, { mode: 'free', position: [0.1, -0.2, -2.5], target: [0, 0.1, 0], rollDeg: 5, fovDeg: 30, interpolation: 'hold', tension: 0.5, continuity: -0.25, bias: 1, easing: 'ease-in-out' });
    const after = await t.call('camera.addKey', { key: free });
    const { id, ...stored } = after.cameraKeys[0]!;
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(stored).toEqual(free);
    const orbit = await t.call('camera.addKey', { key: orbitKey(2, { position: [1, 2, 3] }) });
    expect(orbit.cameraKeys[1]!.position).toBeNull();
    expect(await t.fail('camera.addKey', { key: orbitKey(3, { mode: 'free', position: null }) })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/needs a position/) });
    expect(await t.fail('camera.addKey', { key: orbitKey(3, { clipId: 'no-such-clip' }) })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('updateKeys merges partial fields of several keys in one edit and re-validates the merged key', async () => {
    await t.call('camera.addKey', { key: orbitKey(1) });
    const two = await t.call('camera.addKey', { key: orbitKey(2) });
    const [a, b] = two.cameraKeys.map((k) => k.id) as [string, string];
    const after = await expectUndoable(
      t,
      () => t.call('camera.updateKeys', { label: 'Move keys', changes: [{ id: a, key: { timeS: 1.5, rollDeg: 10 } }, { id: b, key: { fovDeg: 40 } }] }),
      'Move keys',
    );
    expect(after.cameraKeys.map((k) => [k.timeS, k.rollDeg, k.fovDeg])).toEqual([[1.5, 10, 25], [2, 0, 40]]);
    const error = await t.fail('camera.updateKeys', { label: 'Free', changes: [{ id: a, key: { mode: 'free' } }] });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/1\.500 s.*needs a position/) });
    expect(await t.fail('camera.updateKeys', { label: 'x', changes: [{ id: 'gone', key: { fovDeg: 30 } }] })).toMatchObject({ code: 'NOT_FOUND' });
    const collision = await t.fail('camera.updateKeys', { label: 'Move key', changes: [{ id: a, key: { timeS: 2.0002 } }] });
    expect(collision).toMatchObject({ code: 'INVALID_INPUT', message: 'Move key would put two camera keys at the same time (2.000 s).' });
    // Swapping two keys' times in one edit is fine: only the final times count.
    const swapped = await t.call('camera.updateKeys', { label: 'Swap', changes: [{ id: a, key: { timeS: 2 } }, { id: b, key: { timeS: 1.5 } }] });
    expect(swapped.cameraKeys.map((k) => k.id)).toEqual([b, a]);
  });

  it('removeKeys removes several in one edit; an unknown id changes nothing', async () => {
    for (const time of [1, 2, 3]) await t.call('camera.addKey', { key: orbitKey(time) });
    const keys = (await t.call('project.current', {}))!.cameraKeys;
    const after = await expectUndoable(t, () => t.call('camera.removeKeys', { ids: [keys[0]!.id, keys[2]!.id] }), 'Remove 2 camera keys');
    expect(after.cameraKeys.map((k) => k.timeS)).toEqual([2]);
    expect(await t.fail('camera.removeKeys', { ids: [keys[1]!.id, 'gone'] })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.call('project.current', {}))!.cameraKeys).toHaveLength(1);
  });

  it('setPath replaces the path or merges into it, as one edit', async () => {
    await t.call('camera.addKey', { key: orbitKey(0) });
    await t.call('camera.addKey', { key: orbitKey(5) });
    const merged = await expectUndoable(
      t,
      () => t.call('camera.setPath', { label: 'Bullet preset', keys: [orbitKey(5, { yawDeg: -45 }), orbitKey(6, { yawDeg: 45 })], replace: false }),
      'Bullet preset',
    );
    expect(merged.cameraKeys.map((k) => [k.timeS, k.yawDeg])).toEqual([[0, 10], [5, -45], [6, 45]]);
    const replaced = await expectUndoable(t, () => t.call('camera.setPath', { label: 'Import camera path', keys: [orbitKey(3), orbitKey(1)], replace: true }));
    expect(replaced.cameraKeys.map((k) => k.timeS)).toEqual([1, 3]);
    expect(await t.fail('camera.setPath', { label: 'x', keys: [orbitKey(1), orbitKey(1.0001)], replace: true })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/same time/) });
  });
});

describe('time-warp segments', () => {
  it('add, update, remove: each one undoable edit; sorted by start', async () => {
    await expectUndoable(t, () => t.call('timewarp.add', { segment: { startS: 4, endS: 5, rate: 0, audioMode: 'pause', clipId: null } }), 'Add freeze at 4.00–5.00 s');
    const two = await t.call('timewarp.add', { segment: { startS: 1, endS: 2, rate: 0.25, audioMode: 'silence', clipId: null } });
    expect(two.timeWarp.map((s) => s.startS)).toEqual([1, 4]);
    const id = two.timeWarp[1]!.id;
    const updated = await expectUndoable(t, () => t.call('timewarp.update', { id, endS: 6, audioMode: 'silence' }), 'Edit freeze at 4.00–6.00 s');
    expect(updated.timeWarp[1]).toEqual({ id, startS: 4, endS: 6, rate: 0, audioMode: 'silence', clipId: null });
    const removed = await expectUndoable(t, () => t.call('timewarp.remove', { id }));
    expect(removed.timeWarp.map((s) => s.startS)).toEqual([1]);
  });

  it('refuses overlaps naming the times; touching segments are fine', async () => {
    await t.call('timewarp.add', { segment: { startS: 1, endS: 2, rate: 0, audioMode: 'pause', clipId: null } });
    const error = await t.fail('timewarp.add', { segment: { startS: 1.5, endS: 3, rate: 0, audioMode: 'pause', clipId: null } });
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/overlap: 1\.\.2 s and 1\.5\.\.3 s/) });
    const touching = await t.call('timewarp.add', { segment: { startS: 2, endS: 3, rate: 0, audioMode: 'pause', clipId: null } });
    const second = touching.timeWarp[1]!.id;
    expect(await t.fail('timewarp.update', { id: second, startS: 1.9 })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/overlap/) });
    expect(await t.fail('timewarp.update', { id: second, endS: 2.01 })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/at least one frame/) });
    expect(await t.fail('timewarp.update', { id: 'gone', rate: 0.5 })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.fail('timewarp.remove', { id: 'gone' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a segment can be tied and untied', async () => {
    const media = await t.importFile((await import('./timeline-helpers.ts')).DEMO_SPEECH);
    const clip = (await t.call('timeline.addClip', { mediaId: media.id, startS: 0 })).clips[0]!;
    const added = await t.call('timewarp.add', { segment: { startS: 1, endS: 2, rate: 0, audioMode: 'pause', clipId: clip.id } });
    const untied = await expectUndoable(t, () => t.call('timewarp.update', { id: added.timeWarp[0]!.id, clipId: null }));
    expect(untied.timeWarp[0]!.clipId).toBeNull();
  });
});
