/**
 * The bar over the timeline: transport (start, play/pause, end), the playhead's timecode, loop,
 * the editing buttons that act at the playhead (split, camera key, freeze), snapping, zoom and
 * the shortcut list.
 */
import { useRef } from 'react';
import { TIMELINE_FPS, formatTimecode } from '../../../../shared/timeline/timecode.ts';
import { rateLabel } from '../../playback/shuttle.ts';
import { useFrameTime, usePlayRate, usePlaying } from '../../playback/use-transport.ts';
import type { Transport } from '../../playback/transport.ts';
import { sliderToZoom, zoomToSlider } from '../../state/editor-geometry.ts';
import { ToggleButton } from '../ToggleButton.tsx';
import {
  DiamondGlyph,
  FitGlyph,
  FreezeGlyph,
  KeyboardGlyph,
  LoopGlyph,
  MagnetGlyph,
  PauseGlyph,
  PlayGlyph,
  SplitGlyph,
  ToEndGlyph,
  ToStartGlyph,
  ZoomInGlyph,
  ZoomOutGlyph,
} from './transport-icons.tsx';

interface Props {
  transport: Transport;
  endS: number;
  loop: boolean;
  loopRange: { startS: number; endS: number } | null;
  onToggleLoop: () => void;
  snapping: boolean;
  onToggleSnapping: () => void;
  pxPerS: number;
  onZoomTo: (pxPerS: number) => void;
  onZoomBy: (factor: number) => void;
  onFit: () => void;
  onSplit: () => void;
  onAddKey: () => void;
  onAddFreeze: () => void;
  onShowShortcuts: () => void;
}

export function TransportBar(p: Props) {
  const playing = usePlaying(p.transport);
  const rate = usePlayRate(p.transport);
  const shuttle = rateLabel(rate);
  const timecode = useRef<HTMLSpanElement>(null);
  const last = useRef('');
  useFrameTime(p.transport, (t) => {
    const text = formatTimecode(t, TIMELINE_FPS);
    if (text !== last.current && timecode.current) {
      timecode.current.textContent = text;
      last.current = text;
    }
  });
  const loopTitle = p.loopRange
    ? `Loop ${formatTimecode(p.loopRange.startS, TIMELINE_FPS)}–${formatTimecode(p.loopRange.endS, TIMELINE_FPS)} (Shift+L; I/O set its ends)`
    : 'Loop the whole timeline (Shift+L; I/O set a range)';
  return (
    <div className="transport-bar" data-testid="transport-bar">
      <div className="transport-group">
        <button type="button" className="icon-btn" title="Go to start (Home)" aria-label="Go to start" onClick={() => p.transport.seek(0)}>
          <ToStartGlyph />
        </button>
        <button
          type="button"
          className="icon-btn transport-play"
          title={playing ? 'Pause (Space)' : 'Play (Space)'}
          aria-label={playing ? 'Pause' : 'Play'}
          aria-pressed={playing}
          onClick={() => p.transport.toggle()}
          data-testid="play"
          data-playing={playing ? 'true' : 'false'}
          data-rate={rate}
        >
          {playing ? <PauseGlyph /> : <PlayGlyph />}
        </button>
        {shuttle && (
          <span className="badge badge-muted transport-rate" title="Shuttle speed, silent (J/K/L)" data-testid="shuttle-rate">
            {shuttle}
          </span>
        )}
        <button type="button" className="icon-btn" title="Go to end (End)" aria-label="Go to end" onClick={() => p.transport.seek(p.endS)}>
          <ToEndGlyph />
        </button>
        <span className="timecode transport-timecode" data-testid="timecode" title="Playhead (minutes:seconds:frames at 25 fps)" ref={timecode}>
          {formatTimecode(p.transport.getTimeS(), TIMELINE_FPS)}
        </span>
        <ToggleButton on={p.loop} className="icon-btn" title={loopTitle} ariaLabel="Loop" onClick={p.onToggleLoop} testId="loop">
          <LoopGlyph />
        </ToggleButton>
      </div>
      <span className="toolbar-divider" aria-hidden="true" />
      <div className="transport-group">
        <button type="button" className="btn btn-ghost btn-small" title="Split the clip at the playhead (S)" onClick={p.onSplit} data-testid="split">
          <SplitGlyph /> Split
        </button>
        <button type="button" className="btn btn-ghost btn-small" title="Add a camera key at the playhead from the current view (C)" onClick={p.onAddKey} data-testid="add-key">
          <DiamondGlyph /> Key
        </button>
        <button type="button" className="btn btn-ghost btn-small" title="Add a 1 s freeze at the playhead (F)" onClick={p.onAddFreeze} data-testid="add-freeze">
          <FreezeGlyph /> Freeze
        </button>
        <ToggleButton
          on={p.snapping}
          className="icon-btn"
          title={p.snapping ? 'Snapping on: edges, keys and the playhead pull (hold Alt to drag freely)' : 'Snapping off'}
          ariaLabel="Snapping"
          onClick={p.onToggleSnapping}
          testId="snapping"
        >
          <MagnetGlyph />
        </ToggleButton>
      </div>
      <div className="transport-group transport-end">
        <button type="button" className="icon-btn" title="Zoom out (−)" aria-label="Zoom out" onClick={() => p.onZoomBy(1 / 1.5)} data-testid="zoom-out">
          <ZoomOutGlyph />
        </button>
        <input
          type="range"
          className="zoom-slider"
          min={0}
          max={1}
          step={0.001}
          value={zoomToSlider(p.pxPerS)}
          aria-label="Zoom"
          title="Zoom: from a whole hour to single frames (Ctrl+wheel)"
          onChange={(e) => p.onZoomTo(sliderToZoom(Number(e.currentTarget.value)))}
          data-testid="zoom-slider"
        />
        <button type="button" className="icon-btn" title="Zoom in (+)" aria-label="Zoom in" onClick={() => p.onZoomBy(1.5)} data-testid="zoom-in">
          <ZoomInGlyph />
        </button>
        <button type="button" className="icon-btn" title="Zoom to fit (0)" aria-label="Zoom to fit" onClick={p.onFit}>
          <FitGlyph />
        </button>
        <button type="button" className="icon-btn" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onClick={p.onShowShortcuts} data-testid="show-shortcuts">
          <KeyboardGlyph />
        </button>
      </div>
    </div>
  );
}
