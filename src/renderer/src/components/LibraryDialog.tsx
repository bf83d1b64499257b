/**
 * The web host's "Open…": a browser cannot show the file system, so the host offers the
 * projects in its library folder (`projects.list().library`).
 */
import { useProjectList } from '../hooks/use-project-lists.ts';
import { useStudio } from '../state/studio-context.ts';
import { InlineError } from './InlineError.tsx';
import { Modal } from './Modal.tsx';
import { ProjectList } from './ProjectList.tsx';

interface Props {
  onOpenPath: (path: string) => Promise<void>;
  onClose: () => void;
}

export function LibraryDialog({ onOpenPath, onClose }: Props) {
  const { info } = useStudio();
  const list = useProjectList('library');
  const { projects: library, error, busyPath } = list;

  const open = async (path: string): Promise<void> => {
    if (await list.open(path, onOpenPath)) onClose();
  };

  return (
    <Modal title="Open project" description={`Projects in ${info.projectsDir}`} onClose={onClose} testId="library-dialog" wide>
      {error && <InlineError message={error} />}
      {library === null && !error && <p className="muted pad">Loading…</p>}
      {library !== null && library.length === 0 && <p className="muted pad">No projects in the library yet.</p>}
      {library !== null && library.length > 0 && (
        <ProjectList projects={library} busyPath={busyPath} onOpen={open} testId="library-list" />
      )}
    </Modal>
  );
}
