/**
 * The active avatar's splats and background, fetched once per avatar generation ('avatar.buffers')
 * and prepared for the preview: Spark's packed splats, the means the per-frame centres start from,
 * the background's texels and the card that carries them (background-card.ts).
 */
import type { AvatarBuffers } from '../../../shared/api/engine-types.ts';
import type { Avatar } from '../../../shared/project/types.ts';
import { splatsFromBytes } from '../../../shared/splats/splat-bytes.ts';
import { backgroundTexels, cardCorners, cardDepth, type CardCorners } from './background-card.ts';
import { packSplats, type PackedHead } from './splat-packing.ts';

export interface PreparedHead {
  key: string;
  avatarId: string;
  numSplats: number;
  /** float32 [N*3], head space: the static centres. */
  means: Float32Array;
  packed: PackedHead;
  background: { texels: Uint8Array; resolution: number; corners: CardCorners } | null;
}

/**
 * Changes whenever the avatar's buffers may have: a regenerated avatar keeps its id but gets a
 * new crop, camera or model version (the snapshot carries no hash of the splats).
 */
export function avatarKey(avatar: Avatar): string {
  return [avatar.id, avatar.modelName, avatar.modelVersion, avatar.splatCount, avatar.faceIndex, JSON.stringify(avatar.crop), avatar.camera.view.join(',')].join('|');
}

export function prepareHead(avatar: Avatar, buffers: AvatarBuffers): PreparedHead {
  const splats = splatsFromBytes(buffers.splats);
  const n = splats.opacities.length;
  if (n !== buffers.numSplats) throw new Error(`avatar.buffers: ${n} splats in the bytes, ${buffers.numSplats} announced`);
  const packed = packSplats(splats);
  let background: PreparedHead['background'] = null;
  const depth = cardDepth(avatar.camera, splats.means);
  if (buffers.resolution > 0 && buffers.background.byteLength > 0 && depth !== null) {
    background = { texels: backgroundTexels(buffers.background, buffers.resolution), resolution: buffers.resolution, corners: cardCorners(avatar.camera, depth) };
  }
  return { key: avatarKey(avatar), avatarId: avatar.id, numSplats: n, means: splats.means.slice(), packed, background };
}

/** Heads kept after they leave the screen: switching back and forth between two costs nothing. */
const KEEP = 2;

/** Prepared heads by avatar key, most recently used last; fetches shared while under way. */
export class HeadCache {
  private readonly ready = new Map<string, PreparedHead>();
  private readonly loading = new Map<string, Promise<PreparedHead>>();

  private readonly fetchBuffers: (avatarId: string) => Promise<AvatarBuffers>;

  constructor(fetchBuffers: (avatarId: string) => Promise<AvatarBuffers>) {
    this.fetchBuffers = fetchBuffers;
  }

  peek(avatar: Avatar): PreparedHead | null {
    return this.ready.get(avatarKey(avatar)) ?? null;
  }

  load(avatar: Avatar): Promise<PreparedHead> {
    const key = avatarKey(avatar);
    const known = this.ready.get(key);
    if (known) {
      this.ready.delete(key);
      this.ready.set(key, known);
      return Promise.resolve(known);
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    const promise = this.fetchBuffers(avatar.id)
      .then((buffers) => prepareHead(avatar, buffers))
      .then((head) => {
        this.ready.set(key, head);
        while (this.ready.size > KEEP) this.ready.delete(this.ready.keys().next().value!);
        return head;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }
}
