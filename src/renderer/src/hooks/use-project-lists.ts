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

  return { projects, error, setProjects, setError, refresh };
}
