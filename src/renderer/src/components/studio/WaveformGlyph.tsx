/** The waveform of an audio item in small: peak levels decoded from its samples at import. */
import { useMemo } from 'react';
import type { MediaItem } from '../../../../shared/project/types.ts';
import { overviewBars } from '../../format/format.ts';
import { useAudioOverview } from '../../hooks/use-audio-overview.ts';

const BARS = 32;

export function WaveformGlyph({ item, className }: { item: MediaItem; className?: string }) {
  const peaks = useAudioOverview(item.id, item.sha256);
  const bars = useMemo(() => (peaks ? overviewBars(peaks, BARS) : null), [peaks]);
  const step = 100 / BARS;
  return (
    <svg
      className={className}
      viewBox="0 0 100 40"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
      data-testid="media-waveform"
      data-loaded={bars ? 'true' : 'false'}
    >
      {bars
        ? bars.map((h, i) => <rect key={i} x={i * step + step * 0.2} width={step * 0.6} y={20 - h * 19} height={Math.max(0.8, h * 38)} rx={step * 0.3} />)
        : <rect x={0} y={19.5} width={100} height={1} opacity={0.4} />}
    </svg>
  );
}
