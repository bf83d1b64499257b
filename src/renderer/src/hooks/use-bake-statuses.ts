/**
 * The bake state of every clip on the timeline, and a retry after failures: 'bake.status' once,
 * then each 'bake.progress' event (the back end announces every change, new clips included, over
 * both transports).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BakeStatus } from '../../../shared/api/engine-types.ts';
import { errorMessage } from '../state/errors.ts';
import { useStudio } from '../state/studio-context.ts';

interface Stamped {
  status: BakeStatus;
  /** When it was heard, on the hook's own clock: a reply to an older question must not undo it. */
  stamp: number;
}

export interface BakeStatuses {
  /** By clip id; a clip is missing until the back end has planned its bake. */
  statuses: ReadonlyMap<string, BakeStatus>;
  /** Bakes again what failed; a failure to ask becomes a toast. */
  retry(): void;
}

/** A reply to a question asked at `asked` replaces everything heard before it. */
function merge(current: ReadonlyMap<string, Stamped>, list: readonly BakeStatus[], asked: number): ReadonlyMap<string, Stamped> {
  const next = new Map<string, Stamped>(list.map((status) => [status.clipId, { status, stamp: asked }]));
  for (const [id, entry] of current) if (entry.stamp > asked) next.set(id, entry);
  return next;
}

export function useBakeStatuses(): BakeStatuses {
  const { client, toasts } = useStudio();
  const [entries, setEntries] = useState<ReadonlyMap<string, Stamped>>(() => new Map());
  const clock = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const off = client.on('bake.progress', (status) => {
      const stamp = ++clock.current;
      setEntries((current) => new Map(current).set(status.clipId, { status, stamp }));
    });
    const asked = ++clock.current;
    client.call('bake.status', {}, { signal: controller.signal }).then(
      (list) => {
        if (!controller.signal.aborted) setEntries((current) => merge(current, list, asked));
      },
      // Closing the project or losing the link ends the question; the UI says so elsewhere.
      () => undefined,
    );
    return () => {
      controller.abort();
      off();
    };
  }, [client]);

  const retry = useCallback(() => {
    const asked = ++clock.current;
    client.call('bake.retry', {}).then(
      (list) => setEntries((current) => merge(current, list, asked)),
      (error: unknown) => toasts.show('error', 'Could not bake again', errorMessage(error)),
    );
  }, [client, toasts]);

  const statuses = useMemo(() => new Map([...entries].map(([id, entry]) => [id, entry.status])), [entries]);
  return { statuses, retry };
}
