/**
 * The studio's top bar: project name, import, undo/redo, how the preview looks (free orbit or
 * through the camera path; the safe frame of the export's aspect ratio), Save As, close.
 */
import type { ProjectSnapshot } from '../../../../shared/project/types.ts';
import { useConnectionState } from '../../hooks/use-connection.ts';
import { CheckIcon, CloseIcon, ExportIcon, ImportIcon, LogoMark, RedoIcon, SaveIcon, UndoIcon, AlertIcon } from '../icons.tsx';
import { ProjectName } from './ProjectName.tsx';
import { ToggleButton } from '../ToggleButton.tsx';

interface Props {
  snapshot: ProjectSnapshot;
  onRename: (name: string) => void;
  onImport: () => void;
  onUndo: () => void;
  onRedo: () => void;
  onSaveAs: () => void;
  onClose: () => void;
  previewMode: 'orbit' | 'path';
  onPreviewMode: (mode: 'orbit' | 'path') => void;
  safeFrameAspect: number;
  onSafeFrameAspect: (aspect: number) => void;
  onExport: () => void;
  /** True while an export runs (the button then shows it). */
  exporting: boolean;
}

/** Export aspect ratios the safe frame can show: landscape video, vertical video, square, classic. */
export const SAFE_FRAME_ASPECTS: readonly { label: string; value: number }[] = [
  { label: '16:9', value: 16 / 9 },
  { label: '9:16', value: 9 / 16 },
  { label: '1:1', value: 1 },
  { label: '4:3', value: 4 / 3 },
];

function aspectLabel(aspect: number): string {
  return SAFE_FRAME_ASPECTS.find((a) => Math.abs(a.value - aspect) < 1e-3)?.label ?? aspect.toFixed(2);
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl+';

export function Toolbar({ snapshot, onRename, onImport, onUndo, onRedo, onSaveAs, onClose, previewMode, onPreviewMode, safeFrameAspect, onSafeFrameAspect, onExport, exporting }: Props) {
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
        <div className="segmented" role="group" aria-label="Preview camera" data-testid="view-mode">
          <ToggleButton on={previewMode === 'orbit'} title="Look around freely with the orbit camera" onClick={() => onPreviewMode('orbit')} testId="view-mode-orbit">
            Orbit
          </ToggleButton>
          <ToggleButton on={previewMode === 'path'} title="Look through the camera path, as the export will" onClick={() => onPreviewMode('path')} testId="view-mode-path">
            Camera path
          </ToggleButton>
        </div>
        <label className="safe-frame-pick" title="Safe frame: the export's aspect ratio">
          <span className="muted">Frame</span>
          <select value={aspectLabel(safeFrameAspect)} onChange={(e) => onSafeFrameAspect(SAFE_FRAME_ASPECTS.find((a) => a.label === e.currentTarget.value)?.value ?? 16 / 9)} data-testid="safe-frame-aspect">
            {SAFE_FRAME_ASPECTS.map((a) => (
              <option key={a.label} value={a.label}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <span className="toolbar-divider" aria-hidden="true" />
        <button type="button" className="btn" onClick={onExport} title={`Export a video (${MOD}E)`} data-testid="export-button" data-exporting={exporting}>
          <ExportIcon /> {exporting ? 'Exporting…' : 'Export…'}
        </button>
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
