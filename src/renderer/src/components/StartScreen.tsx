/**
 * What shows when no project is open: the app, "New project", "Open…", and the recent projects.
 * API errors (a project from a newer version, a damaged file) show inline, as sentences.
 */
import { useProjectList } from '../hooks/use-project-lists.ts';
import { errorMessage } from '../state/errors.ts';
import { useStudio } from '../state/studio-context.ts';
import { FolderIcon, LogoMark, PlusIcon } from './icons.tsx';
import { InlineError } from './InlineError.tsx';
import { ProjectList } from './ProjectList.tsx';
import '../styles/start.css';

interface Props {
  loadError: string | null;
  onNew: () => void;
  onOpen: () => void;
  onOpenPath: (path: string) => Promise<void>;
}

export function StartScreen({ loadError, onNew, onOpen, onOpenPath }: Props) {
  const { client, info } = useStudio();
  const list = useProjectList('recent', loadError);
  const { projects: recent, error, setProjects: setRecent, setError, busyPath } = list;

  const open = async (path: string): Promise<void> => {
    await list.open(path, onOpenPath);
  };

  const forget = async (path: string): Promise<void> => {
    try {
      setRecent(await client.call('projects.forgetRecent', { path }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <main className="start" data-testid="start-screen">
      <section className="start-hero">
        <LogoMark size={56} />
        <h1 className="start-title">{info.name}</h1>
        <p className="start-tagline">Turn one portrait and a voice into a 3D talking head you can film from any angle.</p>
        <div className="start-actions">
          <button type="button" className="btn btn-primary btn-large" onClick={onNew} data-testid="new-project">
            <PlusIcon /> New project
          </button>
          <button type="button" className="btn btn-large" onClick={onOpen} data-testid="open-project">
            <FolderIcon /> Open…
          </button>
        </div>
        <p className="start-version">
          Version {info.version} · project format {info.schemaVersion}
        </p>
      </section>
      <section className="start-recent" aria-labelledby="recent-heading">
        <h2 id="recent-heading" className="section-title">
          Recent projects
        </h2>
        {error && <InlineError message={error} testId="start-error" />}
        {recent === null && !error && <p className="muted">Loading…</p>}
        {recent !== null && recent.length === 0 && (
          <div className="start-empty">
            <p>No recent projects.</p>
            <p className="muted">Create a project, then import a portrait and some speech.</p>
          </div>
        )}
        {recent !== null && recent.length > 0 && (
          <ProjectList projects={recent} busyPath={busyPath} onOpen={open} onForget={forget} testId="recent-list" />
        )}
      </section>
    </main>
  );
}
