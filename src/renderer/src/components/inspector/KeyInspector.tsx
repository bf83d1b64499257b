/**
 * The selected camera keys: how the camera is placed (orbit: yaw, pitch, distance around a
 * target; free: a position looking at a target), roll and field of view, and how the path leaves
 * each key (smooth Kochanek-Bartels spline with tension/continuity/bias, linear or hold, with
 * easing). With several keys selected a field shows their shared value and sets it on all.
 * Each change is one `camera.updateKeys` edit.
 */
import type { CameraEasing, CameraInterpolation, CameraKeyframe, ProjectSnapshot, Vec3 } from '../../../../shared/project/types.ts';
import { keyPosition, orbitParams } from '../../../../shared/camera/camera-path.ts';
import { TIMELINE_FPS, formatTimecode } from '../../../../shared/timeline/timecode.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { clipAt, clipViews } from '../../state/editor-model.ts';
import { TrashIcon } from '../icons.tsx';
import { NumberField, common, commonOf } from './NumberField.tsx';
import { ToggleButton } from '../ToggleButton.tsx';

type KeyPatch = Partial<Omit<CameraKeyframe, 'id'>>;

interface Props {
  snapshot: ProjectSnapshot;
  keys: readonly CameraKeyframe[];
  actions: StudioActions;
  onSeek: (timeS: number) => void;
}

const INTERPOLATIONS: { value: CameraInterpolation; label: string }[] = [
  { value: 'smooth', label: 'Smooth (spline)' },
  { value: 'linear', label: 'Linear' },
  { value: 'hold', label: 'Hold' },
];
const EASINGS: { value: CameraEasing; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'ease-in', label: 'Ease in' },
  { value: 'ease-out', label: 'Ease out' },
  { value: 'ease-in-out', label: 'Ease in and out' },
];

export function KeyInspector({ snapshot, keys, actions, onSeek }: Props) {
  const one = keys.length === 1 ? keys[0]! : null;
  const update = (label: string, patch: (k: CameraKeyframe) => KeyPatch): void => {
    void actions.updateCameraKeys(
      label,
      keys.map((k) => ({ id: k.id, key: patch(k) })),
    );
  };
  const set = (label: string, patch: KeyPatch): void => update(label, () => patch);
  const vec = (label: string, field: 'target' | 'position', axis: 0 | 1 | 2, v: number): void =>
    update(label, (k) => {
      const base: Vec3 = field === 'target' ? [...k.target] : [...(k.position ?? keyPosition(k))];
      base[axis] = v;
      return { [field]: base };
    });
  const mode = commonOf(keys, (k) => k.mode);
  const clips = clipViews(snapshot);
  const tiedNames = [...new Set(keys.map((k) => clips.find((c) => c.clip.id === k.clipId)?.name).filter(Boolean))];

  return (
    <div className="key-inspector" data-testid="key-inspector">
      <section className="inspector-section">
        <h3 className="section-title">{one ? `Camera key at ${formatTimecode(one.timeS, TIMELINE_FPS)}` : `${keys.length} camera keys`}</h3>
        {one && (
          <div className="field-grid">
            <NumberField label="Time" unit="s" value={one.timeS} step={1 / TIMELINE_FPS} min={0} digits={3} onCommit={(v) => set('Move camera key', { timeS: v })} testId="key-time" />
            <button type="button" className="btn btn-small" onClick={() => onSeek(one.timeS)}>
              Go to key
            </button>
          </div>
        )}
        <div className="segmented segmented-wide" role="group" aria-label="Camera placement">
          <ToggleButton
            on={mode === 'orbit'}
            title="Yaw, pitch and distance around the target"
            onClick={() =>
              update('Orbit camera key', (k) => (k.mode === 'orbit' ? {} : { mode: 'orbit', position: null, ...orbitParams(k.position ?? keyPosition(k), k.target) }))
            }
            testId="key-mode-orbit"
          >
            Orbit
          </ToggleButton>
          <ToggleButton
            on={mode === 'free'}
            title="A free position looking at the target"
            onClick={() => update('Free camera key', (k) => (k.mode === 'free' ? {} : { mode: 'free', position: keyPosition(k) }))}
            testId="key-mode-free"
          >
            Free
          </ToggleButton>
        </div>
      </section>

      <section className="inspector-section">
        <h3 className="section-title">Placement</h3>
        {mode === 'orbit' && (
          <div className="field-grid">
            <NumberField label="Yaw" unit="°" value={common(keys, (k) => k.yawDeg)} step={1} min={-3600} max={3600} digits={1} onCommit={(v) => set('Set yaw', { yawDeg: v })} testId="key-yaw" />
            <NumberField label="Pitch" unit="°" value={common(keys, (k) => k.pitchDeg)} step={1} min={-89.9} max={89.9} digits={1} onCommit={(v) => set('Set pitch', { pitchDeg: v })} testId="key-pitch" />
            <NumberField label="Distance" value={common(keys, (k) => k.distance)} step={0.05} min={0.001} max={10_000} digits={3} onCommit={(v) => set('Set distance', { distance: v })} testId="key-distance" />
          </div>
        )}
        {mode === 'free' && (
          <div className="field-grid field-grid-3">
            {(['X', 'Y', 'Z'] as const).map((axis, i) => (
              <NumberField
                key={axis}
                label={`Position ${axis}`}
                value={common(keys, (k) => (k.position ?? keyPosition(k))[i]!)}
                step={0.05}
                digits={3}
                onCommit={(v) => vec('Move camera', 'position', i as 0 | 1 | 2, v)}
              />
            ))}
          </div>
        )}
        {mode === null && <p className="muted">Orbit and free keys are selected; choose one placement to edit it.</p>}
        <div className="field-grid field-grid-3">
          {(['X', 'Y', 'Z'] as const).map((axis, i) => (
            <NumberField key={axis} label={`Target ${axis}`} value={common(keys, (k) => k.target[i]!)} step={0.01} digits={3} onCommit={(v) => vec('Move target', 'target', i as 0 | 1 | 2, v)} />
          ))}
        </div>
        <div className="field-grid">
          <NumberField label="Roll" unit="°" value={common(keys, (k) => k.rollDeg)} step={1} min={-3600} max={3600} digits={1} onCommit={(v) => set('Set roll', { rollDeg: v })} testId="key-roll" />
          <NumberField label="Field of view" unit="°" value={common(keys, (k) => k.fovDeg)} step={0.5} min={1} max={170} digits={1} onCommit={(v) => set('Set field of view', { fovDeg: v })} testId="key-fov" />
        </div>
      </section>

      <section className="inspector-section">
        <h3 className="section-title">Path to the next key</h3>
        <label className="select-field">
          <span className="num-label">Interpolation</span>
          <select
            value={commonOf(keys, (k) => k.interpolation) ?? ''}
            onChange={(e) => set('Set interpolation', { interpolation: e.currentTarget.value as CameraInterpolation })}
            data-testid="key-interpolation"
          >
            {commonOf(keys, (k) => k.interpolation) === null && <option value="">Mixed</option>}
            {INTERPOLATIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {commonOf(keys, (k) => k.interpolation) !== 'hold' && (
          <label className="select-field">
            <span className="num-label">Easing</span>
            <select value={commonOf(keys, (k) => k.easing) ?? ''} onChange={(e) => set('Set easing', { easing: e.currentTarget.value as CameraEasing })} data-testid="key-easing">
              {commonOf(keys, (k) => k.easing) === null && <option value="">Mixed</option>}
              {EASINGS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {commonOf(keys, (k) => k.interpolation) === 'smooth' && (
          <div className="field-grid field-grid-3" title="Kochanek-Bartels spline at this key; 0, 0, 0 is Catmull-Rom">
            <NumberField label="Tension" value={common(keys, (k) => k.tension)} step={0.1} min={-1} max={1} digits={2} onCommit={(v) => set('Set tension', { tension: v })} />
            <NumberField label="Continuity" value={common(keys, (k) => k.continuity)} step={0.1} min={-1} max={1} digits={2} onCommit={(v) => set('Set continuity', { continuity: v })} />
            <NumberField label="Bias" value={common(keys, (k) => k.bias)} step={0.1} min={-1} max={1} digits={2} onCommit={(v) => set('Set bias', { bias: v })} />
          </div>
        )}
      </section>

      <section className="inspector-section">
        <h3 className="section-title">Tie</h3>
        {tiedNames.length > 0 ? (
          <>
            <p className="muted" data-testid="key-tie">
              Tied to {tiedNames.join(', ')}: moving the clip moves {keys.length === 1 ? 'this key' : 'these keys'}.
            </p>
            <div className="section-actions">
              <button type="button" className="btn btn-small" onClick={() => set('Untie camera key', { clipId: null })} data-testid="key-untie">
                Untie
              </button>
            </div>
          </>
        ) : (
          <>
            <p className="muted" data-testid="key-tie">
              Not tied: {keys.length === 1 ? 'it stays' : 'they stay'} at {keys.length === 1 ? 'its' : 'their'} time when clips move.
            </p>
            <div className="section-actions">
              <button
                type="button"
                className="btn btn-small"
                onClick={() => update('Tie camera key', (k) => ({ clipId: clipAt(clips, k.timeS)?.clip.id ?? null }))}
                disabled={!keys.some((k) => clipAt(clips, k.timeS))}
                title="Tie each key to the clip under it"
                data-testid="key-tie-button"
              >
                Tie to the clip under it
              </button>
            </div>
          </>
        )}
      </section>
      <div className="panel-actions">
        <button type="button" className="btn btn-danger-ghost" onClick={() => void actions.removeCameraKeys(keys.map((k) => k.id))} data-testid="key-delete">
          <TrashIcon /> Delete {keys.length === 1 ? 'key' : `${keys.length} keys`}
        </button>
      </div>
    </div>
  );
}
