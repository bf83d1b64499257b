/**
 * The bottom panel: a time ruler over the project's tracks. Clips on audio tracks are drawn in
 * place with their bake state and can be removed; moving and trimming them arrives with the
 * real timeline.
 */
import type { MediaItem, ProjectSnapshot, Track, TrackKind } from '../../../../shared/project/types.ts';
import { formatRulerTime } from '../../format/format.ts';
import { useBakeStatuses } from '../../hooks/use-bake-statuses.ts';
import { AudioIcon, CameraIcon, ClockIcon } from '../icons.tsx';
import { TimelineClip } from './TimelineClip.tsx';

/** Shown before the project has tracks of its own. */
const DEFAULT_TRACKS: Pick<Track, 'id' | 'kind' | 'name'>[] = [
  { id: 'default-audio', kind: 'audio', name: 'Audio 1' },
  { id: 'default-camera', kind: 'camera', name: 'Camera' },
  { id: 'default-timewarp', kind: 'timewarp', name: 'Time warp' },
];
const HINTS: Record<TrackKind, string> = {
  audio: 'Speech clips',
  camera: 'Camera keyframes',
  timewarp: 'Time-warp segments',
};
/** Seconds shown when the project holds nothing longer. */
const MIN_SPAN_S = 10;

function TrackIcon({ kind }: { kind: TrackKind }) {
  if (kind === 'audio') return <AudioIcon size={14} />;
  if (kind === 'camera') return <CameraIcon size={14} />;
  return <ClockIcon size={14} />;
}

interface Props {
  snapshot: ProjectSnapshot;
  onRemoveClip: (clipId: string, name: string) => void;
}

export function Timeline({ snapshot, onRemoveClip }: Props) {
  const bakes = useBakeStatuses();
  const tracks = snapshot.tracks.length > 0 ? [...snapshot.tracks].sort((a, b) => a.position - b.position) : DEFAULT_TRACKS;
  const mediaById = new Map<string, MediaItem>(snapshot.media.map((m) => [m.id, m]));
  const clips = snapshot.clips.map((c) => {
    const length = Math.max(0, (mediaById.get(c.mediaId)?.durationS ?? 0) - c.trimInS - c.trimOutS);
    return { ...c, length, name: mediaById.get(c.mediaId)?.name ?? 'Missing media' };
  });
  const end = clips.reduce((m, c) => Math.max(m, c.startS + c.length), 0);
  const span = Math.max(MIN_SPAN_S, Math.ceil(end + 1));
  const tickEvery = span <= 20 ? 1 : span <= 60 ? 5 : span <= 300 ? 15 : 60;
  const ticks: number[] = [];
  for (let t = 0; t <= span; t += tickEvery) ticks.push(t);
  const pct = (s: number): string => `${(s / span) * 100}%`;

  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <div className="timeline-corner">
        <span className="timecode">0:00.0</span>
      </div>
      <div className="ruler" aria-hidden="true">
        {ticks.map((t) => (
          <span key={t} className={`ruler-tick ${t === span ? 'ruler-tick-end' : ''}`} style={{ left: pct(t) }}>
            <span className="ruler-label">{formatRulerTime(t)}</span>
          </span>
        ))}
        <span className="playhead" style={{ left: '0%' }} />
      </div>
      {tracks.map((track) => (
        <div key={track.id} className="track" data-testid="timeline-track" data-kind={track.kind}>
          <div className={`track-header track-${track.kind}`}>
            <TrackIcon kind={track.kind} />
            <span className="track-name">{track.name}</span>
          </div>
          <div className="track-lane">
            {ticks.map((t) => (
              <span key={t} className="lane-grid" style={{ left: pct(t) }} aria-hidden="true" />
            ))}
            {clips
              .filter((c) => c.trackId === track.id)
              .map((c) => (
                <TimelineClip
                  key={c.id}
                  name={c.name}
                  left={pct(c.startS)}
                  width={pct(c.length)}
                  bake={bakes.statuses.get(c.id)}
                  onRemove={() => onRemoveClip(c.id, c.name)}
                  onRetry={bakes.retry}
                />
              ))}
            {!clips.some((c) => c.trackId === track.id) && <span className="lane-hint">{HINTS[track.kind]}</span>}
          </div>
        </div>
      ))}
    </section>
  );
}
