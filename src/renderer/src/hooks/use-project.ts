/**
 * The open project as the UI sees it: loaded once with `project.current`, then kept fresh by
 * 'project.changed' events and by the snapshots that edits return. Stale snapshots (a lower
 * revision of the same project) are dropped by `reconcileSnapshot`.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ProjectSnapshot } from '../../../shared/project/types.ts';
import { reconcileSnapshot } from '../state/snapshot.ts';
import { useStudio } from '../state/studio-context.ts';
import { errorMessage } from '../state/errors.ts';

export interface ProjectState {
  /** False until `project.current` answered. */
  loaded: boolean;
  snapshot: ProjectSnapshot | null;
  /** Set when the first load failed. */
  loadError: string | null;
  apply: (snapshot: ProjectSnapshot | null) => void;
}

export function useProject(): ProjectState {
  const { client } = useStudio();
  const [snapshot, setSnapshot] = useState<ProjectSnapshot | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  const apply = useCallback((next: ProjectSnapshot | null) => {
    setSnapshot((current) => reconcileSnapshot(current, next));
  }, []);

  useEffect(() => {
    let live = true;
    const off = client.on('project.changed', apply);
    client.call('project.current', {}).then(
      (current) => {
        if (!live) return;
        // An event may have landed first; a null answer must not hide the project it announced.
        if (current) apply(current);
        setLoaded(true);
      },
      (error: unknown) => {
        if (!live) return;
        setLoadError(errorMessage(error));
        setLoaded(true);
      },
    );
    return () => {
      live = false;
      off();
    };
  }, [client, apply]);

  return { loaded, snapshot, loadError, apply };
}
