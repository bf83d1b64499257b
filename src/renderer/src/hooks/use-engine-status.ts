import { useEffect, useState } from 'react';
import type { EngineStatus } from '../../../shared/api/engine-types.ts';
import { useStudio } from '../state/studio-context.ts';

/**
 * While crashed, asks again this often: the loopback web host does not forward 'engine.status'
 * (FORWARDED_EVENTS in src/main/host/web-host.ts), so the restart would go unseen.
 */
const CRASHED_POLL_MS = 2000;

/** The engine process's state ('engine.status' events), or null until the first answer. */
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

  const crashed = status?.state === 'crashed';
  useEffect(() => {
    if (!crashed) return;
    let live = true;
    const timer = setInterval(() => {
      client.call('engine.status', {}).then(
        (next) => live && setStatus(next),
        () => undefined,
      );
    }, CRASHED_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [client, crashed]);
  return status;
}
