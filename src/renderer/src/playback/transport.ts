/**
 * The playback clock. While playing, the Web Audio context is the clock: output time = the
 * output time playback started from + (context time - context time at start), so the picture
 * (read every animation frame through getTimeS) follows the audio the scheduler plays, never
 * the other way round. Where no audio context can run (no device, not yet allowed by the
 * browser), performance.now() stands in so the playhead still moves.
 *
 * Modules talk to it by requests (play, seek, ...) and hear 'change' only when the play state,
 * the rate, the position (seek) or the loop really changed (STYLE.md 11, 12).
 *
 * Shuttle (J/K/L, shuttle.ts): rates other than 1 (2x, 4x forward; -1x, -2x, -4x reverse) are
 * silent. They run on the page clock (performance.now(), read every animation frame through
 * getTimeS) with the audio scheduler stopped, so 1x forward is the only audible, audio-clocked
 * rate and plays exactly as before. Reverse stops at 0; forward stops at the end of the content
 * unless a loop is on (forward shuttles loop like 1x; reverse ignores the loop).
 */
import { createContext, useContext } from 'react';
import type { AudioScheduleInput } from '../../../shared/timeline/audio-schedule.ts';
import { AudioScheduler } from './audio-scheduler.ts';
import { outputAtRate, type Anchor, type LoopRange } from './clock-map.ts';
import type { PcmFetcher } from './pcm-cache.ts';

export interface TransportProgram extends AudioScheduleInput {
  /** Output time where the timeline's content ends; playback without a loop stops there (0: no end). */
  endS: number;
}

export interface TransportOptions {
  fetchPcm: PcmFetcher;
  /** Makes the audio context; null or a throw leaves playback silent (tests, no audio device). */
  createAudioContext?: () => AudioContext | null;
}

/** How often the scheduler plans ahead and the end or loop is checked. */
const TICK_MS = 50;
/** Scrub grains at most this often, so a fast drag does not pile up sound. */
const GRAIN_EVERY_MS = 50;

type Listener = () => void;

export class Transport {
  private playing = false;
  /** Output seconds per clock second while playing: 1 (audible), or a silent shuttle rate. */
  private rate = 1;
  private anchor: Anchor = { clockS: 0, outS: 0 };
  /** Which clock anchor.clockS reads: the audio context's, or the page's while audio cannot run. */
  private anchorClock: 'audio' | 'page' = 'page';
  /** Where the playhead rests while paused. */
  private restS = 0;
  private loop: LoopRange | null = null;
  private program: TransportProgram = { clips: [], tracks: [], mediaDurations: new Map(), segments: [], endS: 0 };
  private context: AudioContext | null | undefined;
  private scheduler: AudioScheduler | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastGrainMs = -Infinity;
  private readonly listeners = new Set<Listener>();
  private disposed = false;

  private readonly options: TransportOptions;

  constructor(options: TransportOptions) {
    this.options = options;
  }

  /** Output time now; cheap, read every animation frame. */
  getTimeS(): number {
    if (!this.playing) return this.restS;
    const out = outputAtRate(this.anchor, this.loop, this.rate, this.clockOf(this.anchorClock));
    // A fast shuttle shows the end, never past it, between the ticks that stop it there.
    const { endS } = this.program;
    return this.rate > 1 && !this.loop && endS > 0 ? Math.min(out, Math.max(endS, this.anchor.outS)) : out;
  }

  isPlaying(): boolean {
    return this.playing;
  }

  /** The rate playing now: 1 at normal speed, 2 or 4 fast forward, negative in reverse, 0 stopped. */
  getRate(): number {
    return this.playing ? this.rate : 0;
  }

  getLoop(): LoopRange | null {
    return this.loop;
  }

  /** Plays at normal speed, with audio; a shuttle playing at another rate changes to 1x where it is. */
  play(): void {
    this.shuttle(1);
  }

  /**
   * Plays at `rate` output seconds per second (shuttle.ts): 1 is normal, audible playback; other
   * rates are silent; 0 pauses. Playing on from the end (forward) starts at 0, or at the loop's
   * start outside the loop; reverse from 0 does nothing.
   */
  shuttle(rate: number): void {
    if (this.disposed || !Number.isFinite(rate)) return;
    if (rate === 0) return this.pause();
    if (this.playing) {
      if (rate === this.rate) return;
      const now = this.getTimeS();
      this.rate = rate;
      this.anchorAt(now);
      this.emit();
      return;
    }
    let from = this.restS;
    if (rate > 0) {
      const { endS } = this.program;
      if (this.loop && (from < this.loop.startS || from >= this.loop.endS)) from = this.loop.startS;
      else if (!this.loop && endS > 0 && from >= endS - 1e-6) from = 0;
    } else if (from <= 0) {
      return;
    }
    const audio = this.audio();
    // Browsers start contexts suspended until a gesture; play() runs inside one.
    if (audio && audio.context.state !== 'running') void audio.context.resume().catch(() => undefined);
    this.playing = true;
    this.rate = rate;
    this.restS = from;
    this.anchorAt(from);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.emit();
  }

  pause(): void {
    if (!this.playing) return;
    this.restS = this.getTimeS();
    this.playing = false;
    this.stopRunning();
    this.emit();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  seek(s: number): void {
    const to = Math.max(0, Number.isFinite(s) ? s : 0);
    if (this.playing) {
      this.anchorAt(to);
    } else {
      if (to === this.restS) return;
      this.restS = to;
    }
    this.emit();
  }

  /** Seek and play a short grain of audio there: the playhead dragged while stopped. */
  scrub(s: number): void {
    this.seek(s);
    if (this.playing) return;
    const nowMs = performance.now();
    if (nowMs - this.lastGrainMs < GRAIN_EVERY_MS) return;
    this.lastGrainMs = nowMs;
    const audio = this.audio();
    if (!audio) return;
    if (audio.context.state !== 'running') void audio.context.resume().catch(() => undefined);
    audio.grain(this.restS);
  }

  setLoop(range: { startS: number; endS: number } | null): void {
    const next = range && range.endS > range.startS ? { startS: range.startS, endS: range.endS } : null;
    if (next?.startS === this.loop?.startS && next?.endS === this.loop?.endS) return;
    if (this.playing) {
      // Re-anchor so the loop applies from here on.
      const now = this.getTimeS();
      this.loop = next;
      this.anchorAt(now);
    } else {
      this.loop = next;
    }
    this.emit();
  }

  /** The timeline to play: clips, tracks, media lengths, the time warp and where it ends. */
  setProgram(program: TransportProgram): void {
    this.program = program;
    this.scheduler?.setProgram(program);
  }

  on(event: 'change', fn: () => void): () => void {
    void event;
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  dispose(): void {
    this.disposed = true;
    this.playing = false;
    this.stopRunning();
    this.scheduler?.dispose();
    this.scheduler = null;
    void this.context?.close().catch(() => undefined);
    this.listeners.clear();
  }

  private tick(): void {
    if (!this.playing) return;
    const { endS } = this.program;
    if (this.rate < 0 && this.getTimeS() <= 0) return this.stopAt(0);
    if (this.rate > 0 && !this.loop && endS > 0 && this.getTimeS() >= endS) return this.stopAt(endS);
    this.scheduler?.tick();
  }

  /** Playback ran into an end: rest exactly there. */
  private stopAt(s: number): void {
    this.restS = s;
    this.playing = false;
    this.stopRunning();
    this.emit();
  }

  private stopRunning(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.scheduler?.stop();
  }

  /** Playing continues from output time `outS` now, on the audio clock when it runs and the rate is 1. */
  private anchorAt(outS: number): void {
    const audioRuns = this.rate === 1 && this.context?.state === 'running';
    this.anchorClock = audioRuns ? 'audio' : 'page';
    this.anchor = { clockS: this.clockOf(this.anchorClock), outS };
    if (audioRuns) this.scheduler?.start(this.anchor, this.loop);
    else this.scheduler?.stop();
  }

  private clockOf(kind: 'audio' | 'page'): number {
    return kind === 'audio' && this.context ? this.context.currentTime : performance.now() / 1000;
  }

  /** Made on first use, inside a user gesture, so the browser lets it run. */
  private audio(): AudioScheduler | null {
    if (this.context === undefined) {
      try {
        this.context = this.options.createAudioContext ? this.options.createAudioContext() : new AudioContext({ latencyHint: 'interactive' });
      } catch {
        this.context = null;
      }
      if (this.context) {
        this.scheduler = new AudioScheduler(this.context, this.options.fetchPcm);
        this.scheduler.setProgram(this.program);
        // The clock changes from the page's to the audio's (or back): keep the playhead continuous.
        this.context.addEventListener('statechange', () => this.reanchor());
      }
    }
    return this.scheduler;
  }

  /** The context started (or stopped) running: move to its clock where the playhead is now. */
  private reanchor(): void {
    if (!this.playing) return;
    const wanted = this.rate === 1 && this.context?.state === 'running' ? 'audio' : 'page';
    if (wanted !== this.anchorClock) this.anchorAt(this.getTimeS());
  }

  private emit(): void {
    for (const fn of [...this.listeners]) fn();
  }
}

export const TransportContext = createContext<Transport | null>(null);

export function useTransport(): Transport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('useTransport() outside <TransportContext.Provider>');
  return transport;
}
