/**
 * The camera path as a whole: add a key at the playhead from the current view, write a preset
 * (the paper's bullet-effect sweep, an orbit, a dolly-in, a static shot) from the current view,
 * and exchange the path with Nerfstudio as camera_path.json.
 */
import { useRef, useState } from 'react';
import type { CameraState } from '../../../../shared/camera/camera-path.ts';
import { keyFromState } from '../../../../shared/camera/camera-path.ts';
import { CAMERA_PRESET_LABELS, CAMERA_PRESETS, presetKeys, presetPathLabel, type CameraPreset } from '../../../../shared/camera/camera-presets.ts';
import { fromNerfstudioCameraPath, toNerfstudioCameraPath } from '../../../../shared/camera/nerfstudio-path.ts';
import type { ProjectSnapshot } from '../../../../shared/project/types.ts';
import { TIMELINE_FPS, formatTimecode } from '../../../../shared/timeline/timecode.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import type { Transport } from '../../playback/transport.ts';
import { toFrame } from '../../state/editor-geometry.ts';
import { contentEnd } from '../../state/editor-model.ts';
import { errorMessage } from '../../state/errors.ts';
import { saveBytes } from '../../state/save-bytes.ts';
import { useStudio } from '../../state/studio-context.ts';
import { ExportIcon, ImportIcon, PlusIcon } from '../icons.tsx';
import { NumberField } from './NumberField.tsx';

/** Export size for the safe frame's aspect: 1080 px on the short side. */
export function exportSize(aspect: number): { width: number; height: number } {
  if (aspect >= 1) return { width: Math.round((1080 * aspect) / 2) * 2, height: 1080 };
  return { width: 1080, height: Math.round(1080 / aspect / 2) * 2 };
}

interface Props {
  snapshot: ProjectSnapshot;
  actions: StudioActions;
  transport: Transport;
  getCurrentView: () => CameraState;
  safeFrameAspect: number;
}

export function CameraPathSection({ snapshot, actions, transport, getCurrentView, safeFrameAspect }: Props) {
  const { toasts } = useStudio();
  const [preset, setPreset] = useState<CameraPreset>('bullet');
  const [durationS, setDurationS] = useState(2);
  const [replace, setReplace] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const applyPreset = (): void => {
    try {
      const keys = presetKeys(preset, { startS: toFrame(transport.getTimeS()), durationS, base: getCurrentView() });
      void actions.setCameraPath(presetPathLabel(preset), keys, replace);
    } catch (error) {
      toasts.show('error', 'Camera preset', errorMessage(error));
    }
  };

  const importPath = async (file: File): Promise<void> => {
    try {
      const json: unknown = JSON.parse(await file.text());
      const keys = fromNerfstudioCameraPath(json);
      await actions.setCameraPath('Import camera path', keys, true);
      toasts.show('success', file.name, `Imported ${keys.length} camera key${keys.length === 1 ? '' : 's'}`);
    } catch (error) {
      toasts.show('error', file.name, error instanceof SyntaxError ? `Not a JSON file: ${error.message}` : errorMessage(error));
    }
  };

  const exportPath = (): void => {
    try {
      const lastKey = snapshot.cameraKeys.reduce((m, k) => Math.max(m, k.timeS), 0);
      const json = toNerfstudioCameraPath(snapshot.cameraKeys, {
        ...exportSize(safeFrameAspect),
        fps: TIMELINE_FPS,
        durationS: Math.max(contentEnd(snapshot), lastKey, 1 / TIMELINE_FPS),
      });
      saveBytes('camera_path.json', new TextEncoder().encode(JSON.stringify(json, null, 2)), 'application/json');
    } catch (error) {
      toasts.show('error', 'Export camera_path.json', errorMessage(error));
    }
  };

  return (
    <section className="inspector-section" aria-labelledby="camera-path-title" data-testid="camera-path-section">
      <h3 className="section-title" id="camera-path-title">
        Camera path
      </h3>
      <p className="muted">
        {snapshot.cameraKeys.length === 0
          ? 'No keys yet: the preview shows the source camera.'
          : `${snapshot.cameraKeys.length} key${snapshot.cameraKeys.length === 1 ? '' : 's'}, ${formatTimecode(snapshot.cameraKeys[0]!.timeS, TIMELINE_FPS)} to ${formatTimecode(snapshot.cameraKeys[snapshot.cameraKeys.length - 1]!.timeS, TIMELINE_FPS)}.`}
      </p>
      <div className="section-actions">
        <button
          type="button"
          className="btn btn-primary"
          title="Add a key at the playhead from the view the preview shows (C)"
          onClick={() => void actions.addCameraKey(keyFromState(getCurrentView(), toFrame(transport.getTimeS())))}
          data-testid="add-key-at-playhead"
        >
          <PlusIcon /> Add key at playhead
        </button>
      </div>
      <div className="preset-row">
        <label className="select-field">
          <span className="num-label">Preset</span>
          <select value={preset} onChange={(e) => setPreset(e.currentTarget.value as CameraPreset)} data-testid="camera-preset">
            {CAMERA_PRESETS.map((p) => (
              <option key={p} value={p}>
                {CAMERA_PRESET_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        {preset !== 'static' && <NumberField label="Length" unit="s" value={durationS} step={0.5} min={0.1} max={600} digits={2} onCommit={setDurationS} />}
        <label className="check-row">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.currentTarget.checked)} />
          <span>Replace existing keys</span>
        </label>
        <button type="button" className="btn" onClick={applyPreset} title="Writes keys from the playhead, around the current view" data-testid="apply-preset">
          Apply at playhead
        </button>
      </div>
      <div className="section-actions">
        <button type="button" className="btn btn-ghost btn-small" onClick={() => fileInput.current?.click()} data-testid="import-camera-path">
          <ImportIcon /> Import camera_path.json…
        </button>
        <button type="button" className="btn btn-ghost btn-small" disabled={snapshot.cameraKeys.length === 0} onClick={exportPath} data-testid="export-camera-path">
          <ExportIcon /> Export camera_path.json
        </button>
      </div>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="camera-path-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void importPath(file);
        }}
      />
    </section>
  );
}
