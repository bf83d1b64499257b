/**
 * Asks for a project name, then creates the project (or, for Save As in the browser studio, a copy
 * of the open one) in the project library; errors show inline.
 */
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../state/errors.ts';
import { useStudio } from '../state/studio-context.ts';
import { InlineError } from './InlineError.tsx';
import { Modal } from './Modal.tsx';

interface Props {
  onCreate: (name: string) => Promise<void>;
  onClose: () => void;
  /** 'saveAs' names a copy of the open project instead of a new one. */
  mode?: 'new' | 'saveAs';
  initialName?: string;
}

export function NewProjectDialog({ onCreate, onClose, mode = 'new', initialName = 'Untitled project' }: Props) {
  const { info } = useStudio();
  const saveAs = mode === 'saveAs';
  const [name, setName] = useState(initialName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError('Give the project a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onCreate(trimmed);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={saveAs ? 'Save as a new project' : 'New project'}
      description={`Saved in ${info.projectsDir}`}
      onClose={onClose}
      testId={saveAs ? 'save-as-dialog' : 'new-project-dialog'}
    >
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span className="field-label">Project name</span>
          <input
            className="input"
            data-testid="new-project-name"
            value={name}
            maxLength={120}
            autoFocus
            onFocus={(e) => e.currentTarget.select()}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={error !== null}
          />
        </label>
        {error && <InlineError message={error} />}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="new-project-create">
            {saveAs ? (busy ? 'Saving…' : 'Save copy') : busy ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
