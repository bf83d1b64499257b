/** The project's name in the toolbar; click to rename in place. */
import { useState } from 'react';
import { PencilIcon } from '../icons.tsx';
import { RenameInput } from './RenameInput.tsx';

export function ProjectName({ name, onRename }: { name: string; onRename: (name: string) => void }) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <RenameInput
        initial={name}
        label="Project name"
        className="project-name-input"
        testId="project-name-input"
        onCommit={(value) => {
          setEditing(false);
          onRename(value);
        }}
        onCancel={() => setEditing(false)}
      />
    );
  }
  return (
    <button type="button" className="project-name-btn" title="Rename project" onClick={() => setEditing(true)} data-testid="project-name">
      <span className="project-name-text">{name}</span>
      <PencilIcon size={14} className="project-name-pencil" />
    </button>
  );
}
