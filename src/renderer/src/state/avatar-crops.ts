/**
 * The crop PNG each avatar was generated from, as object URLs. Only `avatar.create` and
 * `avatar.regenerate` return it (the project keeps no copy), so this holds what this session
 * generated; the UI falls back to the portrait's thumbnail cut to the same square.
 */
import type { Avatar } from '../../../shared/project/types.ts';

/**
 * The PNG depends on the portrait, the crop square and the model pack; keyed on all three, an
 * undone regeneration never shows the crop of the version it replaced.
 */
export function avatarCropKey(avatar: Pick<Avatar, 'id' | 'crop' | 'modelVersion'>): string {
  const { x, y, size } = avatar.crop;
  return `${avatar.id}:${x},${y},${size}:${avatar.modelVersion}`;
}

export class AvatarCropStore {
  private readonly urls = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The object URL of the avatar's crop, or null when this session did not generate it. */
  get(avatar: Pick<Avatar, 'id' | 'crop' | 'modelVersion'>): string | null {
    return this.urls.get(avatarCropKey(avatar)) ?? null;
  }

  put(avatar: Pick<Avatar, 'id' | 'crop' | 'modelVersion'>, png: Uint8Array): void {
    const key = avatarCropKey(avatar);
    const previous = this.urls.get(key);
    // Copy into a fresh ArrayBuffer-backed array: the reply may be a view into a larger frame.
    this.urls.set(key, URL.createObjectURL(new Blob([new Uint8Array(png)], { type: 'image/png' })));
    if (previous) URL.revokeObjectURL(previous);
    for (const listener of [...this.listeners]) listener();
  }

  dispose(): void {
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
    this.listeners.clear();
  }
}
