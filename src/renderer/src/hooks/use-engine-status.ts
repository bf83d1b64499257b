import { useEffect, useState } from 'react';
import type { EngineStatus } from '../../../shared/api/engine-types.ts';
import { useStudio } from '../state/studio-context.ts';

/** The engine process's state ('engine.status' once, then its events), or null until the first answer. */
export function useEngineStatus(): EngineStatus | null {
  const { client } = useStudio();
  const [status, setStatus] = useState<EngineStatus | null>(null);
  useEffect(() => {
    let live = true;
    // An event is newer than any reply to the first question.
    let heard = false;
    const off = client.on('engine.status', (next) => {
      heard = true;
      setStatus(next);
    });
    client.call('engine.status', {}).then(
      (first) => live && !heard && setStatus(first),
      () => undefined,
    );
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return status;
}
