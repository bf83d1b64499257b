import { useCallback, useEffect, useState } from 'react';
import type { RecentProject } from '../../../shared/project/types.ts';
import { errorMessage } from '../state/errors.ts';
import { useStudio } from '../state/studio-context.ts';

export interface ProjectListState {
  /** Null while loading. */
  projects: RecentProject[] | null;
  error: string | null;
  setProjects(projects: RecentProject[]): void;
  setError(error: string | null): void;
  /** Fetches the list again (after a failed open, the file may be gone). */
  refresh(): Promise<void>;
  /** The project being opened, shown as busy in the list. */
  busyPath: string | null;
  /**
   * Opens one project of the list through `openPath`; resolves true when it opened. A failure
   * becomes the list's error and the list is fetched again.
   */
  open(path: string, openPath: (path: string) => Promise<void>): Promise<boolean>;
}

/** One of the back end's project lists: the recent projects or the project library. */
export function useProjectList(which: 'recent' | 'library', initialError: string | null = null): ProjectListState {
  const { client } = useStudio();
  const [projects, setProjects] = useState<RecentProject[] | null>(null);
  const [error, setError] = useState<string | null>(initialError);

  const refresh = useCallback(
    () =>
      client.call('projects.list', {}).then(
        (lists) => setProjects(lists[which]),
        (err: unknown) => setError(errorMessage(err)),
      ),
    [client, which],
  );

  useEffect(() => {
    let live = true;
    client.call('projects.list', {}).then(
      (lists) => live && setProjects(lists[which]),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [client, which]);

  const [busyPath, setBusyPath] = useState<string | null>(null);
  const open = async (path: string, openPath: (path: string) => Promise<void>): Promise<boolean> => {
    setBusyPath(path);
    setError(null);
    try {
      await openPath(path);
      return true;
    } catch (err) {
      setError(errorMessage(err));
      setBusyPath(null);
      void refresh();
      return false;
    }
  };

  return { projects, error, setProjects, setError, refresh, busyPath, open };
}
