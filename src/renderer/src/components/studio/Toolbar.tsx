/** The studio's top bar: project name, import, undo/redo, Save As (native dialogs only), close. */
import type { ProjectSnapshot } from '../../../../shared/project/types.ts';
import { useConnectionState } from '../../hooks/use-connection.ts';
import { CheckIcon, CloseIcon, ImportIcon, LogoMark, RedoIcon, SaveIcon, UndoIcon, AlertIcon } from '../icons.tsx';
import { ProjectName } from './ProjectName.tsx';

interface Props {
  snapshot: ProjectSnapshot;
  onRename: (name: string) => void;
  onImport: () => void;
  onUndo: () => void;
  onRedo: () => void;
  onSaveAs: () => void;
  onClose: () => void;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl+';

export function Toolbar({ snapshot, onRename, onImport, onUndo, onRedo, onSaveAs, onClose }: Props) {
  const connection = useConnectionState();
  const { history } = snapshot;
  const undoLabel = history.canUndo ? `Undo ${history.undoLabel ?? ''}`.trim() : 'Nothing to undo';
  const redoLabel = history.canRedo ? `Redo ${history.redoLabel ?? ''}`.trim() : 'Nothing to redo';
  return (
    <header className="toolbar" data-testid="toolbar">
      <div className="toolbar-group">
        <LogoMark size={24} />
        <ProjectName name={snapshot.name} onRename={onRename} />
        {connection === 'closed' ? (
          <span className="save-state save-state-offline">
            <AlertIcon size={14} /> Offline
          </span>
        ) : (
          <span className="save-state" title={`Every change is saved to ${snapshot.path}`}>
            <CheckIcon size={14} /> Saved
          </span>
        )}
      </div>
      <div className="toolbar-group">
        <button type="button" className="btn btn-primary" onClick={onImport} title={`Import media (${MOD}I)`} data-testid="import-button">
          <ImportIcon /> Import
        </button>
        <span className="toolbar-divider" aria-hidden="true" />
        <button
          type="button"
          className="icon-btn"
          onClick={onUndo}
          disabled={!history.canUndo}
          title={`${undoLabel} (${MOD}Z)`}
          aria-label={undoLabel}
          data-testid="undo"
        >
          <UndoIcon />
        </button>
        <button
          type="button"
          className="icon-btn"
          onClick={onRedo}
          disabled={!history.canRedo}
          title={`${redoLabel} (${isMac ? '⇧⌘Z' : 'Ctrl+Shift+Z'})`}
          aria-label={redoLabel}
          data-testid="redo"
        >
          <RedoIcon />
        </button>
      </div>
      <div className="toolbar-group toolbar-end">
        <button type="button" className="btn btn-ghost" onClick={onSaveAs} title="Save a copy and continue in it" data-testid="save-as">
          <SaveIcon /> Save As…
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose} title="Close project" data-testid="close-project">
          <CloseIcon /> Close
        </button>
      </div>
    </header>
  );
}
