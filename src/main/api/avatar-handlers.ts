/**
 * avatar.* methods: portrait -> avatar through the engine process, stored in the project
 * (blobs + an undoable avatars row), buffers and PLY export for the renderer.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api/errors.ts';
import type { StudioHandlers } from '../../shared/api/contract.ts';
import type { AvatarResult } from '../../shared/api/engine-types.ts';
import { splatsFromBytes } from '../../shared/splats/splat-bytes.ts';
import { writeSplatPly } from '../../shared/splats/ply.ts';
import type { CropOverride, GenerateAvatarResult } from '../engine/engine-api.ts';
import { defaultPackDir } from '../engine/models/pack-registry.ts';
import type { Mutator } from '../project/history.ts';
import type { ProjectStore } from '../project/project-store.ts';
import type { StudioContext } from './studio-context.ts';

type AvatarHandlers = Pick<StudioHandlers, 'avatar.create' | 'avatar.regenerate' | 'avatar.setActive' | 'avatar.buffers' | 'avatar.exportPly'>;

export function avatarHandlers(ctx: StudioContext): AvatarHandlers {
  const generate = async (
    store: ProjectStore,
    portraitMediaId: string,
    options: { crop?: CropOverride; faceIndex?: number },
    signal: AbortSignal,
  ): Promise<Extract<GenerateAvatarResult, { status: 'ok' }>> => {
    const media = store.getMedia(portraitMediaId);
    if (!media) throw new ApiError('NOT_FOUND', 'That portrait is no longer in the project.');
    if (media.kind !== 'image') throw new ApiError('INVALID_INPUT', `${media.name} is audio; an avatar is made from a portrait image.`);
    const bytes = store.getBlob(media.sha256);
    if (!bytes) throw new ApiError('PROJECT_CORRUPT', `The bytes of ${media.name} are missing from the project.`);
    const result = await ctx.engine.call(
      'avatar.generate',
      { bytes: new Uint8Array(bytes), name: media.name, packDir: defaultPackDir(ctx.resourcesDir), crop: options.crop, faceIndex: options.faceIndex },
      { signal },
    );
    if (result.status !== 'ok') throw new ApiError(result.status === 'no-face' ? 'NO_FACE' : 'FACE_TOO_SMALL', result.message, { mediaId: media.id });
    return result;
  };

  const avatarRow = (store: ProjectStore, r: Extract<GenerateAvatarResult, { status: 'ok' }>) => ({
    model_name: r.modelName,
    model_version: r.modelVersion,
    crop: JSON.stringify(r.crop),
    camera: JSON.stringify(r.camera),
    splat_count: r.numSplats,
    splats_sha256: store.putBlob(r.splats),
    background_sha256: store.putBlob(r.background),
    features_sha256: store.putBlob(r.features),
    face_index: r.faceIndex,
    warnings: JSON.stringify(r.warnings),
  });

  const result = (avatarId: string, r: Extract<GenerateAvatarResult, { status: 'ok' }>): AvatarResult => {
    const snapshot = ctx.publish();
    const avatar = snapshot.avatars.find((a) => a.id === avatarId);
    if (!avatar) throw new ApiError('INTERNAL', 'The generated avatar vanished');
    return { avatar, snapshot, autoCrop: r.autoCrop, faceCount: r.faceCount, cropPng: r.cropPng, timings: r.timings };
  };

  const requireAvatar = (store: ProjectStore, id: string) => {
    const avatar = store.snapshot().avatars.find((a) => a.id === id);
    if (!avatar) throw new ApiError('NOT_FOUND', 'That avatar is no longer in the project.');
    return avatar;
  };

  return {
    'avatar.create': async ({ portraitMediaId, crop, faceIndex }, { signal }) => {
      const store = ctx.requireProject();
      const r = await generate(store, portraitMediaId, { crop, faceIndex }, signal);
      return ctx.queue.run(() => {
        const current = ctx.requireProject();
        if (current !== store) throw new ApiError('CANCELLED', 'The project was closed while the avatar was being generated.');
        const id = randomUUID();
        const media = store.getMedia(portraitMediaId);
        store.edit(`Create avatar from ${media?.name ?? 'portrait'}`, (m) => {
          m.insert('avatars', { id, name: media?.name ?? 'Avatar', portrait_media_id: portraitMediaId, created_at: new Date().toISOString(), ...avatarRow(store, r) });
          setSetting(m, 'avatar.active', JSON.stringify(id));
        });
        return result(id, r);
      });
    },

    'avatar.regenerate': async ({ avatarId, crop, faceIndex }, { signal }) => {
      const store = ctx.requireProject();
      const avatar = requireAvatar(store, avatarId);
      const r = await generate(store, avatar.portraitMediaId, { crop, faceIndex: faceIndex ?? avatar.faceIndex }, signal);
      return ctx.queue.run(() => {
        if (ctx.requireProject() !== store) throw new ApiError('CANCELLED', 'The project was closed while the avatar was being generated.');
        requireAvatar(store, avatarId);
        store.edit(`Regenerate ${avatar.name}`, (m) => m.update('avatars', avatarId, avatarRow(store, r)));
        return result(avatarId, r);
      });
    },

    'avatar.setActive': ({ avatarId }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const avatar = requireAvatar(store, avatarId);
        store.edit(`Use ${avatar.name}`, (m) => setSetting(m, 'avatar.active', JSON.stringify(avatarId)));
        return ctx.publish();
      }),

    'avatar.buffers': ({ avatarId }) => {
      const store = ctx.requireProject();
      const avatar = requireAvatar(store, avatarId);
      const blobs = store.avatarBlobs(avatarId);
      return { avatarId, numSplats: avatar.splatCount, splats: blobs.splats, background: blobs.background, resolution: avatar.camera.resolution };
    },

    'avatar.exportPly': ({ avatarId }) => {
      const store = ctx.requireProject();
      const avatar = requireAvatar(store, avatarId);
      const bytes = writeSplatPly(splatsFromBytes(store.avatarBlobs(avatarId).splats));
      const stem = avatar.name.replace(/\.[^.]+$/, '').replace(/[<>:"/\\|?*]/g, '-') || 'avatar';
      return { fileName: `${stem}.ply`, bytes };
    },
  };
}

function setSetting(m: Mutator, key: string, value: string): void {
  if (m.get('settings', key)) m.update('settings', key, { value });
  else m.insert('settings', { key, value });
}
