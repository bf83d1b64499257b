/**
 * A clip's waveform, drawn by wavesurfer.js from peaks the engine computed (`media.peaks`), for
 * the part of the clip in view only: wavesurfer gets peaks and a duration, never a URL, so the
 * renderer never fetches or decodes audio to draw (issue 6). New peaks are asked for when zoom or
 * scroll settle; until they come, the previous ones stay drawn where their media time lies.
 */
import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../../state/studio-context.ts';
import { createWaveSurfer, type WaveSurfer } from './wavesurfer-csp.ts';

/** Quiet time after zoom or scroll before asking for peaks again. */
const REQUEST_DEBOUNCE_MS = 120;
/** One bar per this many pixels (2 px bar, 1 px gap). */
const PX_PER_BAR = 3;

interface Props {
  mediaId: string;
  /** Media time shown at the clip's left edge and how many pixels one media second takes. */
  clipMediaStartS: number;
  pxPerMediaS: number;
  /** Media time range to draw now (the visible part plus a margin). */
  wantStartS: number;
  wantEndS: number;
  height: number;
}

interface Drawn {
  startS: number;
  endS: number;
}

export function ClipWaveform({ mediaId, clipMediaStartS, pxPerMediaS, wantStartS, wantEndS, height }: Props) {
  const { client } = useStudio();
  const host = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const [drawn, setDrawn] = useState<Drawn | null>(null);

  useEffect(() => {
    const container = host.current;
    if (!container) return;
    const ws = createWaveSurfer({
      container,
      height,
      waveColor: 'rgba(168, 178, 255, 0.78)',
      progressColor: 'rgba(168, 178, 255, 0.78)',
      cursorWidth: 0,
      barWidth: 2,
      barGap: 1,
      barRadius: 1,
      interact: false,
      hideScrollbar: true,
      fillParent: true,
      autoScroll: false,
    });
    surfer.current = ws;
    return () => {
      surfer.current = null;
      ws.destroy();
    };
  }, [height]);

  useEffect(() => {
    if (!(wantEndS > wantStartS)) return;
    const bins = Math.max(1, Math.min(16_384, Math.round(((wantEndS - wantStartS) * pxPerMediaS) / PX_PER_BAR)));
    const controller = new AbortController();
    const timer = setTimeout(() => {
      client.call('media.peaks', { mediaId, startS: wantStartS, endS: wantEndS, bins }, { signal: controller.signal }).then(
        (reply) => {
          const ws = surfer.current;
          if (controller.signal.aborted || !ws) return;
          const peaks = Float32Array.from(reply.peaks, (v) => v / 255);
          const duration = Math.max(1e-3, reply.endS - reply.startS);
          // No URL: wavesurfer draws the given peaks and fetches nothing.
          ws.load('', [peaks], duration).then(
            () => setDrawn({ startS: reply.startS, endS: reply.endS }),
            () => undefined,
          );
        },
        // A failed or cancelled request leaves the last waveform; the next zoom asks again.
        () => undefined,
      );
    }, REQUEST_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // Rounded so sub-pixel scroll jitter does not re-ask.
  }, [client, mediaId, wantStartS, wantEndS, pxPerMediaS]);

  const left = drawn ? (drawn.startS - clipMediaStartS) * pxPerMediaS : 0;
  const width = drawn ? (drawn.endS - drawn.startS) * pxPerMediaS : 0;
  return (
    <div
      ref={host}
      className="clip-wave"
      data-testid="clip-waveform"
      data-loaded={drawn ? 'true' : 'false'}
      style={{ left, width, height, visibility: drawn ? 'visible' : 'hidden' }}
      aria-hidden="true"
    />
  );
}
