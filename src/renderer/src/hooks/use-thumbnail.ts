import { useEffect, useState } from 'react';
import { useStudio } from '../state/studio-context.ts';

export type ThumbnailState = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'none' };

/** The object URL of an image's thumbnail while the calling component is mounted. */
export function useThumbnail(id: string, sha256: string): ThumbnailState {
  const { thumbnails } = useStudio();
  // Keyed by content hash: a result for other bytes reads as 'loading' until this one arrives.
  const [result, setResult] = useState<{ sha256: string; state: ThumbnailState } | null>(null);
  useEffect(() => {
    let live = true;
    thumbnails.acquire(id, sha256).then(
      (url) => live && setResult({ sha256, state: url ? { status: 'ready', url } : { status: 'none' } }),
      () => live && setResult({ sha256, state: { status: 'none' } }),
    );
    return () => {
      live = false;
      thumbnails.release(sha256);
    };
    // The hash identifies the content; a rename (same bytes) keeps the same thumbnail.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sha256, thumbnails]);
  return result?.sha256 === sha256 ? result.state : { status: 'loading' };
}
