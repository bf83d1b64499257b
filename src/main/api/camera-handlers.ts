/**
 * camera.* methods: the camera path's keyframes (output time, types.ts CameraKeyframe). Each call
 * is one undoable edit. Two keys never share a time: adding one within KEY_TIME_EPSILON_S of an
 * existing key replaces that key in place (it keeps its id, so a selection survives).
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api/errors.ts';
import { cameraKeyframeInput, type StudioHandlers } from '../../shared/api/contract.ts';
import type { CameraKeyframe, CameraKeyframeInput, ProjectSnapshot } from '../../shared/project/types.ts';
import type { Mutator } from '../project/history.ts';
import { cameraKeyRow } from '../project/timeline-rows.ts';
import { checkKeyTimes, clipOf, definedFields, KEY_TIME_EPSILON_S } from './edit-checks.ts';
import type { StudioContext } from './studio-context.ts';

type CameraHandlers = Pick<StudioHandlers, 'camera.addKey' | 'camera.updateKeys' | 'camera.removeKeys' | 'camera.setPath'>;

const at = (timeS: number): string => `${timeS.toFixed(3)} s`;

function keyAt(keys: readonly CameraKeyframe[], timeS: number): CameraKeyframe | undefined {
  return keys.find((k) => Math.abs(k.timeS - timeS) < KEY_TIME_EPSILON_S);
}

function checkTie(snapshot: ProjectSnapshot, key: CameraKeyframeInput): void {
  if (key.clipId !== null) clipOf(snapshot, key.clipId);
}

/** Inserts `key`, or overwrites the key already at its time. */
function putKey(m: Mutator, existing: readonly CameraKeyframe[], key: CameraKeyframeInput): void {
  const same = keyAt(existing, key.timeS);
  if (same) m.update('camera_keyframes', same.id, cameraKeyRow(key));
  else m.insert('camera_keyframes', { id: randomUUID(), ...cameraKeyRow(key) });
}

function withoutId({ id: _id, ...input }: CameraKeyframe): CameraKeyframeInput {
  return input;
}

export function cameraHandlers(ctx: StudioContext): CameraHandlers {
  const requireKey = (snapshot: ProjectSnapshot, id: string): CameraKeyframe => {
    const key = snapshot.cameraKeys.find((k) => k.id === id);
    if (!key) throw new ApiError('NOT_FOUND', 'That camera key is no longer on the camera track.', { keyId: id });
    return key;
  };

  return {
    'camera.addKey': ({ key }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        checkTie(snapshot, key);
        const label = `${keyAt(snapshot.cameraKeys, key.timeS) ? 'Replace' : 'Add'} camera key at ${at(key.timeS)}`;
        store.edit(label, (m) => putKey(m, snapshot.cameraKeys, key));
        return ctx.publish();
      }),

    'camera.updateKeys': ({ label, changes }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const seen = new Set<string>();
        const merged = changes.map(({ id, key: patch }) => {
          if (seen.has(id)) throw new ApiError('INVALID_INPUT', 'A camera key appears twice in one edit.', { keyId: id });
          seen.add(id);
          const current = requireKey(snapshot, id);
          // The merged key must be whole and valid (a free key needs a position, and so on).
          const parsed = cameraKeyframeInput.safeParse({ ...withoutId(current), ...definedFields(patch) });
          if (!parsed.success) {
            throw new ApiError('INVALID_INPUT', `The camera key at ${at(current.timeS)}: ${parsed.error.issues.map((i) => i.message).join('; ')}`, { keyId: id });
          }
          checkTie(snapshot, parsed.data);
          return { id, key: parsed.data };
        });
        const moved = new Map(merged.map(({ id, key }) => [id, key.timeS]));
        checkKeyTimes(snapshot.cameraKeys.map((k) => moved.get(k.id) ?? k.timeS), label);
        store.edit(label, (m) => {
          for (const { id, key } of merged) m.update('camera_keyframes', id, cameraKeyRow(key));
        });
        return ctx.publish();
      }),

    'camera.removeKeys': ({ ids }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const unique = [...new Set(ids)];
        unique.forEach((id) => requireKey(snapshot, id));
        store.edit(unique.length === 1 ? 'Remove camera key' : `Remove ${unique.length} camera keys`, (m) => {
          for (const id of unique) m.delete('camera_keyframes', id);
        });
        return ctx.publish();
      }),

    'camera.setPath': ({ label, keys, replace }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const sorted = [...keys].sort((a, b) => a.timeS - b.timeS);
        checkKeyTimes(sorted.map((k) => k.timeS), label);
        sorted.forEach((key) => checkTie(snapshot, key));
        store.edit(label, (m) => {
          if (replace) for (const key of snapshot.cameraKeys) m.delete('camera_keyframes', key.id);
          const existing = replace ? [] : snapshot.cameraKeys;
          for (const key of sorted) putKey(m, existing, key);
        });
        return ctx.publish();
      }),
  };
}
