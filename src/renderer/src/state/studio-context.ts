/** What every component may reach: the API client, facts about the app, the toast area and the caches. */
import { createContext, useContext } from 'react';
import type { AppInfo } from '../../../shared/api/contract.ts';
import type { ConnectedStudio } from '../api/connection.ts';
import type { AvatarCropStore } from './avatar-crops.ts';
import type { OverviewCache } from './overviews.ts';
import type { ThumbnailCache } from './thumbnails.ts';
import type { ToastStore } from './toasts.ts';

export interface StudioServices {
  client: ConnectedStudio;
  info: AppInfo;
  toasts: ToastStore;
  thumbnails: ThumbnailCache;
  overviews: OverviewCache;
  avatarCrops: AvatarCropStore;
}

export const StudioContext = createContext<StudioServices | null>(null);

export function useStudio(): StudioServices {
  const services = useContext(StudioContext);
  if (!services) throw new Error('useStudio() outside <StudioContext.Provider>');
  return services;
}
