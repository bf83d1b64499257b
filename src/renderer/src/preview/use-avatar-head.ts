/** The active avatar's prepared head (avatar-head.ts), loaded once per avatar generation. */
import { useEffect, useState } from 'react';
import type { Avatar } from '../../../shared/project/types.ts';
import type { ConnectedStudio } from '../api/connection.ts';
import { errorMessage } from '../state/errors.ts';
import { useStudio } from '../state/studio-context.ts';
import { HeadCache, avatarKey, type PreparedHead } from './avatar-head.ts';

export type HeadState = { status: 'none' } | { status: 'loading' } | { status: 'ready'; head: PreparedHead } | { status: 'error'; message: string };

/** One cache per connection, so a remounted preview finds the head it had. */
const caches = new WeakMap<ConnectedStudio, HeadCache>();

function cacheFor(client: ConnectedStudio): HeadCache {
  let cache = caches.get(client);
  if (!cache) {
    cache = new HeadCache((avatarId) => client.call('avatar.buffers', { avatarId }));
    caches.set(client, cache);
  }
  return cache;
}

export function useAvatarHead(avatar: Avatar | null): HeadState {
  const { client } = useStudio();
  const cache = cacheFor(client);
  const key = avatar ? avatarKey(avatar) : null;
  const known = avatar ? cache.peek(avatar) : null;
  const [loaded, setLoaded] = useState<{ key: string; state: HeadState } | null>(null);

  useEffect(() => {
    if (!avatar || cache.peek(avatar)) return;
    let live = true;
    const wanted = avatarKey(avatar);
    cache.load(avatar).then(
      (head) => live && setLoaded({ key: wanted, state: { status: 'ready', head } }),
      (error: unknown) => live && setLoaded({ key: wanted, state: { status: 'error', message: errorMessage(error) } }),
    );
    return () => {
      live = false;
    };
    // The key says when the avatar's buffers changed; the object itself changes with every snapshot.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cache, key]);

  if (!avatar) return { status: 'none' };
  if (known) return { status: 'ready', head: known };
  if (loaded?.key === key) return loaded.state;
  return { status: 'loading' };
}
