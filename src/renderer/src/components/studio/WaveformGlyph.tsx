/** A waveform-like picture for an audio file; the shape comes from its hash, not its samples. */
import { useMemo } from 'react';
import { waveformBars } from '../../format/format.ts';

const BARS = 28;

export function WaveformGlyph({ sha256, className }: { sha256: string; className?: string }) {
  const bars = useMemo(() => waveformBars(sha256, BARS), [sha256]);
  const step = 100 / BARS;
  return (
    <svg className={className} viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      {bars.map((h, i) => (
        <rect key={i} x={i * step + step * 0.2} width={step * 0.6} y={20 - h * 18} height={h * 36} rx={step * 0.3} />
      ))}
    </svg>
  );
}
