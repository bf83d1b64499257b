/**
 * A selected time-warp segment: its output-time range, rate (freeze or slow motion), what the
 * audio does in it, and its tie to a clip. Each change is one `timewarp.update` edit.
 */
import type { ProjectSnapshot, TimeWarpSegment } from '../../../../shared/project/types.ts';
import { TIMELINE_FPS } from '../../../../shared/timeline/timecode.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { clipAt, clipViews } from '../../state/editor-model.ts';
import { TrashIcon } from '../icons.tsx';
import { NumberField } from './NumberField.tsx';

interface Props {
  snapshot: ProjectSnapshot;
  segment: TimeWarpSegment;
  actions: StudioActions;
}

const RATES = [
  { label: 'Freeze', value: 0 },
  { label: '×0.25', value: 0.25 },
  { label: '×0.5', value: 0.5 },
];

export function SegmentInspector({ snapshot, segment, actions }: Props) {
  const clips = clipViews(snapshot);
  const tied = clips.find((c) => c.clip.id === segment.clipId);
  const under = clipAt(clips, segment.startS);
  const update = (patch: Parameters<StudioActions['updateTimeWarp']>[1]): void => void actions.updateTimeWarp(segment.id, patch);
  return (
    <div className="segment-inspector" data-testid="segment-inspector">
      <section className="inspector-section">
        <h3 className="section-title">{segment.rate === 0 ? 'Freeze' : 'Slow motion'}</h3>
        <p className="muted">The picture {segment.rate === 0 ? 'holds' : 'slows'} while the camera keeps moving: bullet time.</p>
        <div className="field-grid">
          <NumberField label="Start" unit="s" value={segment.startS} step={1 / TIMELINE_FPS} min={0} digits={3} onCommit={(v) => update({ startS: v })} testId="segment-start" />
          <NumberField label="End" unit="s" value={segment.endS} step={1 / TIMELINE_FPS} min={0} digits={3} onCommit={(v) => update({ endS: v })} testId="segment-end" />
        </div>
      </section>
      <section className="inspector-section">
        <h3 className="section-title">Rate</h3>
        <div className="segmented segmented-wide" role="group" aria-label="Rate">
          {RATES.map((r) => (
            <button key={r.label} type="button" className={segment.rate === r.value ? 'is-on' : ''} aria-pressed={segment.rate === r.value} onClick={() => update({ rate: r.value })}>
              {r.label}
            </button>
          ))}
        </div>
        <NumberField label="Animation rate" value={segment.rate} step={0.05} min={0} max={0.99} digits={2} onCommit={(v) => update({ rate: v })} testId="segment-rate" />
      </section>
      <section className="inspector-section">
        <h3 className="section-title">Audio</h3>
        <label className="radio-row">
          <input type="radio" name={`audio-${segment.id}`} checked={segment.audioMode === 'pause'} onChange={() => update({ audioMode: 'pause' })} data-testid="segment-audio-pause" />
          <span>
            <strong>Pause and resume</strong>
            <span className="muted"> — speech stops and picks up where it stopped; later material plays later</span>
          </span>
        </label>
        <label className="radio-row">
          <input type="radio" name={`audio-${segment.id}`} checked={segment.audioMode === 'silence'} onChange={() => update({ audioMode: 'silence' })} data-testid="segment-audio-silence" />
          <span>
            <strong>Hold silent</strong>
            <span className="muted"> — silence inside, then everything continues at its own time</span>
          </span>
        </label>
      </section>
      <section className="inspector-section">
        <h3 className="section-title">Tie</h3>
        {tied ? (
          <>
            <p className="muted">Tied to {tied.name}: moving the clip moves this segment.</p>
            <div className="section-actions">
              <button type="button" className="btn btn-small" onClick={() => update({ clipId: null })} data-testid="segment-untie">
                Untie
              </button>
            </div>
          </>
        ) : (
          <div className="section-actions">
            <button type="button" className="btn btn-small" disabled={!under} onClick={() => under && update({ clipId: under.clip.id })} data-testid="segment-tie">
              Tie to {under ? under.name : 'the clip under it'}
            </button>
          </div>
        )}
      </section>
      <div className="panel-actions">
        <button type="button" className="btn btn-danger-ghost" onClick={() => void actions.removeTimeWarp(segment.id)} data-testid="segment-delete">
          <TrashIcon /> Delete segment
        </button>
      </div>
    </div>
  );
}
