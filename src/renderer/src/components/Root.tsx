/**
 * Connects once, fetches `app.info`, and provides the services every component uses. Until then
 * it shows a quiet splash; if the studio cannot be reached it says so and how to recover.
 */
import { useEffect, useState } from 'react';
import { connectStudio } from '../api/connect.ts';
import { errorMessage } from '../state/errors.ts';
import { AvatarCropStore } from '../state/avatar-crops.ts';
import { StudioContext, type StudioServices } from '../state/studio-context.ts';
import { OverviewCache } from '../state/overviews.ts';
import { ThumbnailCache } from '../state/thumbnails.ts';
import { ToastStore } from '../state/toasts.ts';
import { App } from './App.tsx';
import { AlertIcon, LogoMark } from './icons.tsx';

type RootState = { status: 'connecting' } | { status: 'ready'; services: StudioServices } | { status: 'failed'; message: string };

export function Root() {
  const [state, setState] = useState<RootState>({ status: 'connecting' });

  useEffect(() => {
    let live = true;
    let dispose: (() => void) | null = null;
    (async () => {
      const client = await connectStudio();
      dispose = () => client.dispose();
      if (!live) return dispose();
      const info = await client.call('app.info', {});
      if (!live) return;
      document.title = info.name;
      setState({
        status: 'ready',
        services: {
          client,
          info,
          toasts: new ToastStore(),
          thumbnails: new ThumbnailCache(client),
          overviews: new OverviewCache(client),
          avatarCrops: new AvatarCropStore(),
        },
      });
    })().catch((error: unknown) => {
      if (live) setState({ status: 'failed', message: errorMessage(error) });
    });
    return () => {
      live = false;
      dispose?.();
    };
  }, []);

  if (state.status === 'ready') {
    return (
      <StudioContext.Provider value={state.services}>
        <App />
      </StudioContext.Provider>
    );
  }
  return (
    <main className="splash" data-testid={state.status === 'failed' ? 'connect-failed' : 'splash'}>
      <LogoMark size={48} />
      {state.status === 'connecting' ? (
        <p className="splash-text">Connecting to the studio…</p>
      ) : (
        <div className="splash-error" role="alert">
          <AlertIcon size={20} />
          <div>
            <p className="splash-title">Could not connect to the studio</p>
            <p className="splash-text">
              {state.message} Make sure the studio is running, then open the address it printed (it includes a fresh
              access token).
            </p>
          </div>
        </div>
      )}
    </main>
  );
}
