/** Frame times of the last few rendered frames and their median, for the preview's readout. */

/** How many recent frames the median covers. */
export const FRAME_WINDOW = 60;

export class FrameTimer {
  private readonly samples: number[] = [];
  private readonly window: number;

  constructor(window = FRAME_WINDOW) {
    if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`FrameTimer window must be a positive integer, got ${window}`);
    this.window = window;
  }

  /** Adds one frame's time in milliseconds (non-finite or negative values are ignored). */
  add(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) return;
    this.samples.push(ms);
    if (this.samples.length > this.window) this.samples.shift();
  }

  get count(): number {
    return this.samples.length;
  }

  /** Median of the window (mean of the middle two for an even count); null before any frame. */
  median(): number | null {
    return percentile(this.samples, 0.5);
  }
}

/**
 * The p-quantile (0..1) of values by linear interpolation between order statistics (numpy's
 * default, "linear"); null for none.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const x = Math.min(1, Math.max(0, p)) * (sorted.length - 1);
  const lower = Math.floor(x);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (x - lower) * (sorted[upper]! - sorted[lower]!);
}
