/**
 * How long frames take to finish, CPU and GPU together, without stalling the pipeline: a WebGL2
 * fence after each frame's commands, polled every few milliseconds until the GPU (SwiftShader
 * in headless Chromium) has executed them. A frame's time runs from its start, or from the end
 * of the frame before it if the GPU was still busy with that one (so a backlog is not counted
 * twice), to its fence. Polling yields to the event loop, where Chromium updates sync status;
 * the resolution is the poll interval (browsers clamp timers to about 4 ms).
 * Without fences (WebGL1, a lost context) the CPU time of the frame stands in.
 */

/** The slice of WebGL2 this needs (a fake in tests). */
export type FenceGl = Pick<WebGL2RenderingContext, 'fenceSync' | 'clientWaitSync' | 'deleteSync' | 'flush' | 'SYNC_GPU_COMMANDS_COMPLETE' | 'ALREADY_SIGNALED' | 'CONDITION_SATISFIED' | 'WAIT_FAILED'>;

const POLL_MS = 2;
/** Frames tracked at once; older ones are dropped unmeasured (a stalled GPU must not pile up syncs). */
const MAX_PENDING = 8;

export class FenceTimer {
  private readonly gl: FenceGl;
  private readonly onFrame: (ms: number) => void;
  private readonly now: () => number;
  private readonly pending: Array<{ sync: WebGLSync; startMs: number }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastDoneMs = -Infinity;
  private disposed = false;

  constructor(gl: FenceGl, onFrame: (ms: number) => void, now: () => number = () => performance.now()) {
    this.gl = gl;
    this.onFrame = onFrame;
    this.now = now;
  }

  /** Call right after a frame's draw calls; `startMs` is when the frame's work began. */
  frameSubmitted(startMs: number): void {
    if (this.disposed) return;
    const sync = this.gl.fenceSync(this.gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (!sync) {
      this.onFrame(this.now() - startMs);
      return;
    }
    this.gl.flush();
    this.pending.push({ sync, startMs });
    while (this.pending.length > MAX_PENDING) this.gl.deleteSync(this.pending.shift()!.sync);
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    for (const { sync } of this.pending.splice(0)) this.gl.deleteSync(sync);
  }

  private schedule(): void {
    if (this.timer === null) this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  private poll(): void {
    this.timer = null;
    if (this.disposed) return;
    // Fences signal in submission order: stop at the first one still running.
    while (this.pending.length > 0) {
      const { sync, startMs } = this.pending[0]!;
      const status = this.gl.clientWaitSync(sync, 0, 0);
      if (status !== this.gl.ALREADY_SIGNALED && status !== this.gl.CONDITION_SATISFIED && status !== this.gl.WAIT_FAILED) break;
      this.pending.shift();
      this.gl.deleteSync(sync);
      const now = this.now();
      if (status !== this.gl.WAIT_FAILED) this.onFrame(now - Math.max(startMs, this.lastDoneMs));
      this.lastDoneMs = now;
    }
    if (this.pending.length > 0) this.schedule();
  }
}
