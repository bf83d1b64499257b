/**
 * The bottom panel: the transport bar, a timecode ruler over the project's tracks (audio clips
 * with waveforms, camera keyframes, time-warp segments), the playhead and a scroll bar. Zoom runs
 * from a whole hour to single frames (Ctrl+wheel, the slider, +/-); the wheel scrolls. Dragging
 * draws the result at once and sends one edit on release; Alt turns snapping off for a drag.
 * Audio dropped on a lane (from the bin or the file manager) lands where it was dropped.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent as ReactDragEvent } from 'react';
import type { ProjectSnapshot, Track } from '../../../../shared/project/types.ts';
import { snapTargets, snapTime } from '../../../../shared/timeline/snapping.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { useBakeStatuses } from '../../hooks/use-bake-statuses.ts';
import type { Transport } from '../../playback/transport.ts';
import { useFrameTime, usePlaying } from '../../playback/use-transport.ts';
import { MEDIA_DRAG_TYPE, isFileDrag, isMediaDrag } from '../../state/editor-dnd.ts';
import { SNAP_PX, clampScroll, fitZoom, timeToX, toFrame, xToTime, zoomAt, type Snapper, type TimeScale } from '../../state/editor-geometry.ts';
import { clipAudioPieces, clipViews, contentEnd, sortedTracks } from '../../state/editor-model.ts';
import { NOTHING, isSelected, type Selection } from '../../state/editor-selection.ts';
import { CameraLane } from '../timeline/CameraLane.tsx';
import type { LaneContext } from '../timeline/lane-context.ts';
import { Ruler } from '../timeline/Ruler.tsx';
import { ScrollBar } from '../timeline/ScrollBar.tsx';
import { TrackHeader } from '../timeline/TrackHeader.tsx';
import { TransportBar } from '../timeline/TransportBar.tsx';
import { useClipDrag } from '../timeline/use-clip-drag.ts';
import { WarpLane } from '../timeline/WarpLane.tsx';
import { TimelineClip } from './TimelineClip.tsx';

/** The timeline always scrolls at least this far, and this far past the last content. */
const MIN_SPAN_S = 30;
const TAIL_S = 10;
/** Ctrl+wheel: zoom factor per 100 px of wheel travel. */
const WHEEL_ZOOM = 1.25;

const HINTS: Record<Track['kind'], string> = {
  audio: 'Drop speech here',
  camera: 'Camera keys: press C or "Key" to add one at the playhead',
  timewarp: 'Freezes and slow motion: press F or "Freeze" at the playhead',
};

export interface TimelineProps {
  snapshot: ProjectSnapshot;
  actions: StudioActions;
  transport: Transport;
  scale: TimeScale;
  onScale: (scale: TimeScale) => void;
  selection: Selection;
  onSelect: (selection: Selection) => void;
  loopOn: boolean;
  loopRange: { startS: number; endS: number } | null;
  onToggleLoop: () => void;
  snapping: boolean;
  onToggleSnapping: () => void;
  onSplit: () => void;
  onAddKey: () => void;
  onAddFreeze: () => void;
  onShowShortcuts: () => void;
  /** Files from the file manager are about to drop on a lane: import them, then place them there. */
  onDropFilesAt: (trackId: string, startS: number) => void;
}

export function Timeline(p: TimelineProps) {
  const { snapshot, actions, transport, scale, onScale, selection, onSelect } = p;
  const bakes = useBakeStatuses();
  const playing = usePlaying(transport);
  const body = useRef<HTMLDivElement>(null);
  const rulerCell = useRef<HTMLDivElement>(null);
  const playhead = useRef<HTMLSpanElement>(null);
  const [widthPx, setWidthPx] = useState(0);
  const [guideS, setGuideS] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<{ trackId: string; timeS: number } | null>(null);

  const tracks = useMemo(() => sortedTracks(snapshot), [snapshot]);
  const clips = useMemo(() => clipViews(snapshot), [snapshot]);
  const endS = useMemo(() => contentEnd(snapshot, clips), [snapshot, clips]);
  const visibleS = widthPx > 0 ? widthPx / scale.pxPerS : 0;
  const totalS = Math.max(MIN_SPAN_S, endS + TAIL_S, scale.scrollS + visibleS);

  useLayoutEffect(() => {
    const el = rulerCell.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidthPx(el.clientWidth));
    observer.observe(el);
    setWidthPx(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  // Latest values for the native wheel listener and the frame loop.
  const live = useRef({ scale, widthPx, totalS, onScale, playing });
  useLayoutEffect(() => {
    live.current = { scale, widthPx, totalS, onScale, playing };
  });

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      const { scale: s, widthPx: w, totalS: total, onScale: set } = live.current;
      const laneLeft = rulerCell.current?.getBoundingClientRect().left ?? 0;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const factor = Math.pow(WHEEL_ZOOM, -e.deltaY / 100);
        const next = zoomAt(s, factor, Math.max(0, e.clientX - laneLeft));
        set({ pxPerS: next.pxPerS, scrollS: clampScroll(next.scrollS, Math.max(total, next.scrollS + w / next.pxPerS), w, next.pxPerS) });
        return;
      }
      const dx = e.shiftKey ? e.deltaY : e.deltaX;
      if (dx === 0) return;
      e.preventDefault();
      set({ pxPerS: s.pxPerS, scrollS: clampScroll(s.scrollS + dx / s.pxPerS, total, w, s.pxPerS) });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  // The playhead follows the transport every frame; while playing, the view pages along with it.
  useFrameTime(transport, (t) => {
    const { scale: s, widthPx: w, onScale: set, playing: isPlaying } = live.current;
    const x = timeToX(s, t);
    if (playhead.current) {
      playhead.current.style.transform = `translateX(${x}px)`;
      playhead.current.style.visibility = x < -1 || x > w + 1 ? 'hidden' : 'visible';
    }
    if (isPlaying && w > 0 && (x > w - 24 || x < 0)) set({ pxPerS: s.pxPerS, scrollS: Math.max(0, t - (w * 0.1) / s.pxPerS) });
  });

  const keyTimes = snapshot.cameraKeys.map((k) => ({ id: k.id, timeS: k.timeS }));
  const snapper = useCallback(
    (excludeIds: ReadonlySet<string>, e: { altKey: boolean }): Snapper | null => {
      if (!p.snapping || e.altKey) return null;
      const targets = snapTargets({
        clips: clips.map((c) => ({ id: c.clip.id, startS: c.outStartS, endS: c.outEndS })),
        keyTimes,
        playheadS: transport.getTimeS(),
        excludeIds,
      });
      for (const s of snapshot.timeWarp) if (!excludeIds.has(s.id)) targets.push(s.startS, s.endS);
      const threshold = SNAP_PX / scale.pxPerS;
      return (t) => snapTime(t, targets, threshold);
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [p.snapping, clips, snapshot.cameraKeys, snapshot.timeWarp, transport, scale.pxPerS],
  );

  const ctx: LaneContext = { scale, widthPx, selection, select: onSelect, snapper, showGuide: setGuideS, transport, actions };
  const clipDrag = useClipDrag(ctx, clips);

  const timeAtClientX = (clientX: number): number => {
    const left = rulerCell.current?.getBoundingClientRect().left ?? 0;
    return Math.max(0, xToTime(scale, clientX - left));
  };

  const onLaneDragOver = (track: Track) => (e: ReactDragEvent<HTMLDivElement>): void => {
    const types = Array.from(e.dataTransfer.types);
    if (track.kind !== 'audio' || !(isMediaDrag(types) || isFileDrag(types))) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDropAt({ trackId: track.id, timeS: timeAtClientX(e.clientX) });
  };
  const onLaneDrop = (track: Track) => (e: ReactDragEvent<HTMLDivElement>): void => {
    setDropAt(null);
    if (track.kind !== 'audio') return;
    const types = Array.from(e.dataTransfer.types);
    const at = timeAtClientX(e.clientX);
    const snap = snapper(new Set(), { altKey: e.altKey });
    const snapped = snap ? snap(at) : { timeS: at, target: null };
    // New clips land on a snap target or a whole frame.
    const startS = snapped.target !== null ? snapped.timeS : toFrame(at);
    if (isMediaDrag(types)) {
      e.preventDefault();
      const item = snapshot.media.find((m) => m.id === e.dataTransfer.getData(MEDIA_DRAG_TYPE));
      if (item?.kind === 'audio') void actions.addClipAt(item, track.id, startS);
    } else if (isFileDrag(types)) {
      // The window's file drop (StudioFrame) imports them; it places them here.
      p.onDropFilesAt(track.id, startS);
    }
  };

  const seekScrub = (t: number): void => transport.scrub(t);

  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <TransportBar
        transport={transport}
        endS={endS}
        loop={p.loopOn}
        loopRange={p.loopRange}
        onToggleLoop={p.onToggleLoop}
        snapping={p.snapping}
        onToggleSnapping={p.onToggleSnapping}
        pxPerS={scale.pxPerS}
        onZoomTo={(pxPerS) => onScale(zoomAt(scale, pxPerS / scale.pxPerS, Math.max(0, timeToX(scale, transport.getTimeS()))))}
        onZoomBy={(factor) => onScale(zoomAt(scale, factor, Math.min(widthPx, Math.max(0, timeToX(scale, transport.getTimeS())))))}
        onFit={() => onScale({ pxPerS: fitZoom(Math.max(endS, 1), Math.max(1, widthPx - 16)), scrollS: 0 })}
        onSplit={p.onSplit}
        onAddKey={p.onAddKey}
        onAddFreeze={p.onAddFreeze}
        onShowShortcuts={p.onShowShortcuts}
      />
      <div className="tl-body" ref={body}>
        <div className="timeline-corner" />
        <div className="tl-ruler-cell" ref={rulerCell}>
          <Ruler scale={scale} widthPx={widthPx} loopRange={p.loopRange} loopOn={p.loopOn} onScrub={seekScrub} onScrubEnd={() => undefined} />
        </div>
        {tracks.map((track) => {
          const trackClips = clips.filter((c) => c.clip.trackId === track.id);
          // A clip dragged onto another track stays drawn in its own lane (so the drag keeps its
          // pointer); the lane it will land in lights up.
          const landing = [...(clipDrag.drafts?.values() ?? [])].some((d) => d.trackId === track.id) && !trackClips.some((c) => clipDrag.drafts?.has(c.clip.id));
          const empty =
            (track.kind === 'audio' && trackClips.length === 0) ||
            (track.kind === 'camera' && snapshot.cameraKeys.length === 0) ||
            (track.kind === 'timewarp' && snapshot.timeWarp.length === 0);
          return (
            <div key={track.id} className="track" data-testid="timeline-track" data-kind={track.kind}>
              <TrackHeader track={track} onChange={(patch) => void actions.updateTrack(track.id, patch)} />
              <div
                className={`track-lane lane-${track.kind} ${dropAt?.trackId === track.id || landing ? 'is-drop-target' : ''}`}
                data-lane-kind={track.kind}
                data-track-id={track.id}
                data-testid="track-lane"
                onPointerDown={(e) => {
                  if (e.target === e.currentTarget && e.button === 0) onSelect(NOTHING);
                }}
                onDragOver={onLaneDragOver(track)}
                onDragLeave={() => setDropAt(null)}
                onDrop={onLaneDrop(track)}
              >
                {track.kind === 'audio' &&
                  trackClips.map((c) => {
                    const d = clipDrag.drafts?.get(c.clip.id);
                    const lengthS = d ? Math.max(0, c.mediaS - d.trimInS - d.trimOutS) : c.lengthS;
                    const shift = d ? d.startS - c.clip.startS : 0;
                    // Output position: the drag moves it by as much as it moves in animation time.
                    const outStart = c.outStartS + shift;
                    const outLength = d ? lengthS * ((c.outEndS - c.outStartS) / Math.max(c.lengthS, 1e-9)) : c.outEndS - c.outStartS;
                    const leftPx = timeToX(scale, outStart);
                    const width = outLength * scale.pxPerS;
                    if (leftPx > widthPx + 4 || leftPx + width < -4) return null;
                    return (
                      <TimelineClip
                        key={c.clip.id}
                        clipId={c.clip.id}
                        mediaId={c.clip.mediaId}
                        name={c.name}
                        leftPx={leftPx}
                        widthPx={width}
                        pieces={d ? [{ offsetS: 0, lengthS: outLength, mediaStartS: d.trimInS, mediaLengthS: lengthS, audible: true }] : clipAudioPieces(snapshot.timeWarp, c)}
                        laneWidthPx={widthPx}
                        selected={isSelected(selection, 'clips', c.clip.id)}
                        dragging={d !== undefined}
                        bake={bakes.statuses.get(c.clip.id)}
                        onPressBody={(e) => clipDrag.press(c, 'move', e)}
                        onPressLeft={(e) => clipDrag.press(c, 'left', e)}
                        onPressRight={(e) => clipDrag.press(c, 'right', e)}
                        onRemove={() => void actions.removeClip(c.clip.id, c.name)}
                        onRetry={bakes.retry}
                      />
                    );
                  })}
                {track.kind === 'camera' && <CameraLane keys={snapshot.cameraKeys} ctx={ctx} />}
                {track.kind === 'timewarp' && <WarpLane segments={snapshot.timeWarp} ctx={ctx} />}
                {dropAt?.trackId === track.id && <span className="drop-marker" style={{ left: timeToX(scale, dropAt.timeS) }} />}
                {empty && <span className="lane-hint">{HINTS[track.kind]}</span>}
              </div>
            </div>
          );
        })}
        <div className="tl-overlay" aria-hidden="true">
          {p.loopRange && p.loopOn && (
            <span
              className="tl-loop-shade"
              style={{ left: timeToX(scale, p.loopRange.startS), width: (p.loopRange.endS - p.loopRange.startS) * scale.pxPerS }}
            />
          )}
          {guideS !== null && <span className="tl-guide" style={{ left: timeToX(scale, guideS) }} />}
          <span className="tl-playhead" ref={playhead} data-testid="playhead" />
        </div>
      </div>
      <div className="tl-footer">
        <span className="tl-footer-corner" />
        <ScrollBar totalS={totalS} visibleS={visibleS} scrollS={scale.scrollS} onScroll={(s) => onScale({ pxPerS: scale.pxPerS, scrollS: clampScroll(s, totalS, widthPx, scale.pxPerS) })} />
      </div>
    </section>
  );
}
