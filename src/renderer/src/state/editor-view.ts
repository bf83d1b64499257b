/**
 * How the studio looks at a project (zoom, scroll, playhead, panel sizes, preview mode, safe
 * frame, loop) and its saving: not an edit, never undone, written with `project.saveView` at most
 * once per quiet spell of DEBOUNCE_MS so dragging a splitter or the zoom slider does not flood the
 * back end. Restored from `snapshot.view` when a project opens.
 */
import { DEFAULT_VIEW_STATE, type ViewState } from '../../../shared/project/types.ts';
import { MAX_PX_PER_S, MIN_PX_PER_S } from './editor-geometry.ts';

export const VIEW_SAVE_DEBOUNCE_MS = 500;

/** Panel size limits in CSS pixels, so a restored view always leaves every panel usable. */
export const PANEL_LIMITS = {
  mediaBin: { min: 180, max: 560 },
  inspector: { min: 240, max: 560 },
  timeline: { min: 150, max: 720 },
} as const;

const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, Number.isFinite(v) ? v : min));

/** A stored view made safe to use: missing fields from the defaults, everything in range. */
export function restoreView(stored: Partial<ViewState> | null | undefined): ViewState {
  const v = { ...DEFAULT_VIEW_STATE, ...(stored ?? {}) };
  const panels = { ...DEFAULT_VIEW_STATE.panels, ...(stored?.panels ?? {}) };
  return {
    pxPerS: clamp(v.pxPerS, MIN_PX_PER_S, MAX_PX_PER_S),
    scrollS: clamp(v.scrollS, 0, 86_400),
    playheadS: clamp(v.playheadS, 0, 86_400),
    panels: {
      mediaBin: clamp(panels.mediaBin, PANEL_LIMITS.mediaBin.min, PANEL_LIMITS.mediaBin.max),
      inspector: clamp(panels.inspector, PANEL_LIMITS.inspector.min, PANEL_LIMITS.inspector.max),
      timeline: clamp(panels.timeline, PANEL_LIMITS.timeline.min, PANEL_LIMITS.timeline.max),
    },
    previewMode: v.previewMode === 'path' ? 'path' : 'orbit',
    safeFrameAspect: clamp(v.safeFrameAspect, 0.1, 10),
    loop: Boolean(v.loop),
  };
}

export function sameView(a: ViewState, b: ViewState): boolean {
  return (
    a.pxPerS === b.pxPerS &&
    a.scrollS === b.scrollS &&
    a.playheadS === b.playheadS &&
    a.panels.mediaBin === b.panels.mediaBin &&
    a.panels.inspector === b.panels.inspector &&
    a.panels.timeline === b.panels.timeline &&
    a.previewMode === b.previewMode &&
    a.safeFrameAspect === b.safeFrameAspect &&
    a.loop === b.loop
  );
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Debounced saving: `update` with each new view; `save` runs DEBOUNCE_MS after the last one,
 * only when the view differs from what was last saved. `flush` saves a pending view at once
 * (closing the project).
 */
export class ViewSaver {
  private pending: ViewState | null = null;
  private handle: unknown = null;

  private readonly save: (view: ViewState) => void;
  private lastSaved: ViewState | null;
  private readonly delayMs: number;
  private readonly timers: Timers;

  constructor(save: (view: ViewState) => void, lastSaved: ViewState | null, delayMs = VIEW_SAVE_DEBOUNCE_MS, timers: Timers = realTimers) {
    this.save = save;
    this.lastSaved = lastSaved;
    this.delayMs = delayMs;
    this.timers = timers;
  }

  update(view: ViewState): void {
    this.pending = view;
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = this.timers.set(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = null;
    const view = this.pending;
    this.pending = null;
    if (!view || (this.lastSaved && sameView(view, this.lastSaved))) return;
    this.lastSaved = view;
    this.save(view);
  }

  dispose(): void {
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = null;
    this.pending = null;
  }
}
