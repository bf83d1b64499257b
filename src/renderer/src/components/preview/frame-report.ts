/**
 * What each preview frame reports, written straight onto the preview's DOM (data attributes and
 * the readout's text) rather than through React state, so that a playing preview does not
 * re-render React sixty times a second; only the badge, which changes rarely, is state.
 */
import type { RefObject } from 'react';
import type { FrameSample } from '../../preview/offset-stream.ts';
import type { FrameReport, KeyPoint } from './PreviewScene.tsx';

export interface Badge {
  state: FrameSample['state'];
  /** Bake progress in whole percent while baking. */
  percent: number | null;
}

export class DomFrameReport implements FrameReport {
  private frames = 0;
  private lastBadge = '';
  private lastKeyPoints = '';
  private readonly rootRef: RefObject<HTMLElement | null>;
  private readonly readoutRef: RefObject<HTMLElement | null>;
  private readonly onBadge: (badge: Badge) => void;

  constructor(root: RefObject<HTMLElement | null>, readout: RefObject<HTMLElement | null>, onBadge: (badge: Badge) => void) {
    this.rootRef = root;
    this.readoutRef = readout;
    this.onBadge = onBadge;
  }

  frame(sample: FrameSample, cpuMedianMs: number | null): void {
    const el = this.rootRef.current;
    if (!el) return;
    this.frames++;
    el.dataset.frames = String(this.frames);
    el.dataset.animTime = sample.animS.toFixed(4);
    el.dataset.outputTime = sample.outputS.toFixed(4);
    el.dataset.baked = String(sample.baked);
    el.dataset.frameState = sample.state;
    if (cpuMedianMs !== null) el.dataset.cpuMs = cpuMedianMs.toFixed(2);
    const percent = sample.progress === null ? null : Math.floor(sample.progress * 100);
    const key = `${sample.state}|${percent}`;
    if (key !== this.lastBadge) {
      this.lastBadge = key;
      this.onBadge({ state: sample.state, percent });
    }
  }

  /** As a data attribute, for tools and tests that need to find a key's frustum on screen. */
  keyPoints(points: readonly KeyPoint[]): void {
    const text = JSON.stringify(points.map((p) => ({ id: p.id, x: Math.round(p.x), y: Math.round(p.y) })));
    if (text === this.lastKeyPoints) return;
    this.lastKeyPoints = text;
    this.rootRef.current?.setAttribute('data-key-points', text);
  }

  finished(medianMs: number | null): void {
    if (medianMs === null) return;
    this.rootRef.current?.setAttribute('data-frame-ms', medianMs.toFixed(2));
    const readout = this.readoutRef.current;
    if (readout) readout.textContent = medianMs.toFixed(1);
  }
}
