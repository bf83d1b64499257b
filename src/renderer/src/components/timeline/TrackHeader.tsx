/** A track's header: its kind and name; audio tracks add mute, solo and gain. */
import type { Track, TrackKind } from '../../../../shared/project/types.ts';
import { AudioIcon, CameraIcon, ClockIcon } from '../icons.tsx';
import { GainSlider } from './GainSlider.tsx';

function TrackIcon({ kind }: { kind: TrackKind }) {
  if (kind === 'audio') return <AudioIcon size={14} />;
  if (kind === 'camera') return <CameraIcon size={14} />;
  return <ClockIcon size={14} />;
}

interface Props {
  track: Track;
  onChange: (patch: { muted?: boolean; solo?: boolean; gain?: number }) => void;
}

export function TrackHeader({ track, onChange }: Props) {
  return (
    <div className={`track-header track-${track.kind}`} data-testid="track-header" data-track-id={track.id}>
      <div className="track-title">
        <TrackIcon kind={track.kind} />
        <span className="track-name">{track.name}</span>
      </div>
      {track.kind === 'audio' && (
        <div className="track-controls">
          <button
            type="button"
            className={`track-toggle ${track.muted ? 'is-on track-toggle-mute' : ''}`}
            aria-pressed={track.muted}
            title={track.muted ? 'Unmute track' : 'Mute track'}
            onClick={() => onChange({ muted: !track.muted })}
            data-testid="track-mute"
          >
            M
          </button>
          <button
            type="button"
            className={`track-toggle ${track.solo ? 'is-on track-toggle-solo' : ''}`}
            aria-pressed={track.solo}
            title={track.solo ? 'Unsolo track' : 'Solo track: only solo tracks sound'}
            onClick={() => onChange({ solo: !track.solo })}
            data-testid="track-solo"
          >
            S
          </button>
          <GainSlider value={track.gain} label={`${track.name} gain`} compact onCommit={(gain) => onChange({ gain })} testId="track-gain" />
        </div>
      )}
    </div>
  );
}
