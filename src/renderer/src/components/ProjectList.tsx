/** A list of project files: the start screen's recent projects and the web host's library. */
import type { RecentProject } from '../../../shared/project/types.ts';
import { formatWhen } from '../format/format.ts';
import { FileIcon, SpinnerIcon } from './icons.tsx';

interface Props {
  projects: readonly RecentProject[];
  busyPath: string | null;
  onOpen: (path: string) => void;
  /** When given, missing projects offer "Remove from list". */
  onForget?: (path: string) => void;
  testId: string;
}

export function ProjectList({ projects, busyPath, onOpen, onForget, testId }: Props) {
  return (
    <ul className="project-list" data-testid={testId}>
      {projects.map((p) => (
        <li key={p.path} className={`project-row ${p.exists ? '' : 'project-row-missing'}`} data-testid="project-row" data-exists={p.exists}>
          <button
            type="button"
            className="project-open"
            disabled={!p.exists || busyPath !== null}
            onClick={() => onOpen(p.path)}
            title={p.exists ? `Open ${p.path}` : `${p.path} is missing`}
          >
            <span className="project-icon">{busyPath === p.path ? <SpinnerIcon /> : <FileIcon />}</span>
            <span className="project-text">
              <span className="project-name">{p.name}</span>
              {/* rtl puts the ellipsis at the start, so the file name stays visible; bdi keeps the path's own order. */}
              <span className="project-path">
                <bdi>{p.path}</bdi>
              </span>
            </span>
            <span className="project-when">{p.exists ? formatWhen(p.lastOpenedAt) : <span className="badge badge-muted">Missing</span>}</span>
          </button>
          {!p.exists && onForget && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => onForget(p.path)} data-testid="forget-recent">
              Remove from list
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
