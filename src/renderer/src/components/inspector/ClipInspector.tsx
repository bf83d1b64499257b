/**
 * Selected audio clips: gain (one slider gesture, one edit), and for a single clip its start and
 * trims in seconds (each one `timeline.updateClips` edit) and "Replace audio…" from the bin
 * (`timeline.replaceMedia`). Removing several clips is one edit, undone at once.
 */
import type { ProjectSnapshot } from '../../../../shared/project/types.ts';
import { TIMELINE_FPS, formatTimecode } from '../../../../shared/timeline/timecode.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { FRAME_S } from '../../state/editor-geometry.ts';
import type { ClipView } from '../../state/editor-model.ts';
import { TrashIcon } from '../icons.tsx';
import { GainSlider } from '../timeline/GainSlider.tsx';
import { PropRow as Row } from '../studio/PropRow.tsx';
import { ClipReplaceAudio } from './ClipReplaceAudio.tsx';
import { NumberField, common } from './NumberField.tsx';

interface Props {
  snapshot: ProjectSnapshot;
  clips: readonly ClipView[];
  actions: StudioActions;
  onSplit: () => void;
}

/** The two trim fields: each may take the clip's media up to one frame short of the other trim. */
const TRIMS = [
  { key: 'trimInS', other: 'trimOutS', label: 'Trim in', testId: 'clip-trim-in' },
  { key: 'trimOutS', other: 'trimInS', label: 'Trim out', testId: 'clip-trim-out' },
] as const;

export function ClipInspector({ snapshot, clips, actions, onSplit }: Props) {
  const one = clips.length === 1 ? clips[0]! : null;
  const gain = common(clips, (c) => c.clip.gain);
  const tiedKeys = snapshot.cameraKeys.filter((k) => clips.some((c) => c.clip.id === k.clipId)).length;
  const tiedSegments = snapshot.timeWarp.filter((s) => clips.some((c) => c.clip.id === s.clipId)).length;
  return (
    <div className="clip-inspector" data-testid="clip-inspector">
      <section className="inspector-section">
        <h3 className="section-title">{one ? one.name : `${clips.length} clips`}</h3>
        <div className="gain-field">
          <span className="num-label">Gain</span>
          <GainSlider
            value={gain ?? 1}
            label="Clip gain"
            onCommit={(g) => void actions.updateClips('Change clip gain', clips.map((c) => ({ clipId: c.clip.id, gain: g })))}
            testId="clip-gain"
          />
        </div>
        {one && (
          <>
            <div className="field-grid">
              <NumberField label="Start" unit="s" value={one.clip.startS} step={FRAME_S} min={0} digits={3} onCommit={(v) => void actions.updateClips('Move clip', [{ clipId: one.clip.id, startS: v }])} testId="clip-start" />
              {TRIMS.map(({ key, other, label, testId }) => (
                <NumberField
                  key={key}
                  label={label}
                  unit="s"
                  value={one.clip[key]}
                  step={FRAME_S}
                  min={0}
                  max={Math.max(0, one.mediaS - one.clip[other] - FRAME_S)}
                  digits={3}
                  onCommit={(v) => void actions.updateClips('Trim clip', [{ clipId: one.clip.id, [key]: v }])}
                  testId={testId}
                />
              ))}
            </div>
            <dl className="props">
              <Row label="Length">{formatTimecode(one.lengthS, TIMELINE_FPS)}</Row>
              <Row label="On the ruler">
                {formatTimecode(one.outStartS, TIMELINE_FPS)} – {formatTimecode(one.outEndS, TIMELINE_FPS)}
              </Row>
            </dl>
          </>
        )}
        {(tiedKeys > 0 || tiedSegments > 0) && (
          <p className="muted">
            Moving {one ? 'it' : 'them'} also moves {tiedKeys} camera key{tiedKeys === 1 ? '' : 's'} and {tiedSegments} time-warp segment{tiedSegments === 1 ? '' : 's'} tied to {one ? 'it' : 'them'}.
          </p>
        )}
      </section>
      {one && <ClipReplaceAudio key={one.clip.id} clip={one} media={snapshot.media} actions={actions} />}
      <div className="panel-actions panel-actions-row">
        <button type="button" className="btn btn-small" onClick={onSplit} title="Split at the playhead (S)">
          Split at playhead
        </button>
        <button
          type="button"
          className="btn btn-danger-ghost"
          onClick={() => void actions.removeClips(clips.map((c) => ({ id: c.clip.id, name: c.name })))}
          data-testid="clip-delete"
        >
          <TrashIcon /> Remove from timeline
        </button>
      </div>
    </div>
  );
}
