import { useEffect, useState } from 'react';
import { useStudio } from '../state/studio-context.ts';

/** The peak overview of an audio item, or null while it loads or when there is none. */
export function useAudioOverview(id: string, sha256: string): Uint8Array | null {
  const { overviews } = useStudio();
  const [result, setResult] = useState<{ sha256: string; peaks: Uint8Array | null } | null>(null);
  useEffect(() => {
    let live = true;
    overviews.get(id, sha256).then(
      (peaks) => live && setResult({ sha256, peaks }),
      () => live && setResult({ sha256, peaks: null }),
    );
    return () => {
      live = false;
    };
    // The hash identifies the content; a rename (same bytes) keeps the same overview.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sha256, overviews]);
  return result?.sha256 === sha256 ? result.peaks : null;
}
