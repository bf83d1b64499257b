/**
 * Export progress on stderr (stdout stays empty: scripts capture nothing but what they asked
 * for). On a terminal one line redrawn in place, a bar with frames, speed and time left; piped,
 * plain lines, at most one per PLAIN_INTERVAL_MS plus every change of state, which logs of render
 * farms can read.
 */
import type { ExportProgress } from '../../shared/api/contract.ts';

const BAR_WIDTH = 30;
const PLAIN_INTERVAL_MS = 2000;

export interface ProgressSink {
  write(text: string): void;
  isTTY: boolean;
}

function describe(p: ExportProgress): string {
  if (p.state === 'baking') return p.framesTotal > 0 ? `baking the lips: ${p.framesDone}/${p.framesTotal} frames` : 'baking the lips';
  if (p.state === 'rendering') {
    const left = p.secondsLeft === null ? '' : `, ${Math.ceil(p.secondsLeft)} s left`;
    return `rendering ${p.framesDone}/${p.framesTotal} frames, ${p.fps.toFixed(1)} fps${left}`;
  }
  return p.state;
}

export class ProgressReporter {
  private readonly sink: ProgressSink;
  private lastState = '';
  private lastPlain = 0;
  private drawn = false;

  constructor(sink: ProgressSink) {
    this.sink = sink;
  }

  update(p: ExportProgress): void {
    if (p.state === 'done' || p.state === 'failed' || p.state === 'cancelled') return this.end();
    if (this.sink.isTTY) {
      const fraction = p.state === 'rendering' && p.framesTotal > 0 ? p.framesDone / p.framesTotal : p.state === 'finishing' ? 1 : 0;
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%`;
      this.sink.write(`\r\u001b[2K${bar} ${describe(p)}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (p.state !== this.lastState || now - this.lastPlain >= PLAIN_INTERVAL_MS) {
      this.sink.write(`export: ${describe(p)}\n`);
      this.lastPlain = now;
      this.lastState = p.state;
    }
  }

  /** Leaves the terminal on a fresh line. */
  end(): void {
    if (this.drawn) this.sink.write('\n');
    this.drawn = false;
  }
}
