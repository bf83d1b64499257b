import { useSyncExternalStore } from 'react';
import type { Avatar } from '../../../shared/project/types.ts';
import { useStudio } from '../state/studio-context.ts';

/** The object URL of the crop PNG the engine generated `avatar` from, or null when this session has none. */
export function useAvatarCrop(avatar: Pick<Avatar, 'id' | 'crop' | 'modelVersion'>): string | null {
  const { avatarCrops } = useStudio();
  return useSyncExternalStore(avatarCrops.subscribe, () => avatarCrops.get(avatar));
}
