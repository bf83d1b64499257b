/**
 * Plays the timeline's audio on a Web Audio context, ahead of time: every tick it plans the next
 * seconds of output (clock-map.ts), asks audio-schedule.ts which media sounds when, and starts an
 * AudioBufferSourceNode per chunk piece at its exact clock time. Seek, pause and edits stop what
 * was scheduled and plan again. A scrub plays a short grain at the playhead.
 */
import { audioSpans, type AudioScheduleInput } from '../../../shared/timeline/audio-schedule.ts';
import { outputPieces, type Anchor, type LoopRange } from './clock-map.ts';
import { PcmCache, type PcmFetcher } from './pcm-cache.ts';
import { clipSpan, pcmPieces, type PcmPiece } from './pcm-plan.ts';

/** Seconds of output planned ahead of the clock; a tick comes every ~100 ms. */
const LOOKAHEAD_S = 2;
/** Plan again once less than this is left planned. */
const REFILL_S = 1;
/** A scrub grain: long enough to hear a phoneme's colour, short enough to follow the mouse. */
export const GRAIN_S = 0.06;
/** Fade at grain edges so scrubbing does not click. */
const GRAIN_FADE_S = 0.006;

export class AudioScheduler {
  private readonly master: GainNode;
  private readonly cache: PcmCache;
  private readonly sources = new Set<AudioBufferSourceNode>();
  /** Bumped on every stop: buffers arriving for an older plan are dropped. */
  private generation = 0;
  private plannedUntil = 0;
  private anchor: Anchor | null = null;
  private loop: LoopRange | null = null;
  private program: AudioScheduleInput = { clips: [], tracks: [], mediaDurations: new Map(), segments: [] };

  readonly context: AudioContext;

  constructor(context: AudioContext, fetchPcm: PcmFetcher) {
    this.context = context;
    this.master = context.createGain();
    this.master.connect(context.destination);
    this.cache = new PcmCache(context, fetchPcm, (id) => this.program.mediaDurations.get(id));
  }

  setProgram(program: AudioScheduleInput): void {
    const mediaChanged = [...program.mediaDurations].some(([id, s]) => this.program.mediaDurations.get(id) !== s);
    this.program = program;
    if (mediaChanged) this.cache.clear();
    // What was planned may no longer be true: plan again from now.
    if (this.anchor) this.replan();
  }

  /** Playing from `anchor` (clock = context time) with an optional loop. */
  start(anchor: Anchor, loop: LoopRange | null): void {
    this.stop();
    this.anchor = anchor;
    this.loop = loop;
    this.plannedUntil = anchor.clockS;
    this.tick();
  }

  /** Plans more audio when what is planned runs short. Call often while playing. */
  tick(): void {
    if (!this.anchor) return;
    const now = this.context.currentTime;
    if (this.plannedUntil - now > REFILL_S) return;
    const from = Math.max(this.plannedUntil, now);
    const to = now + LOOKAHEAD_S;
    for (const piece of outputPieces(this.anchor, this.loop, from, to)) {
      for (const span of audioSpans(this.program, piece.outFromS, piece.outToS)) {
        const cut = clipSpan(span, piece.outFromS, piece.outToS);
        if (!cut) continue;
        for (const p of pcmPieces(cut)) this.schedule(p, piece.clockS + (p.outputS - piece.outFromS), 0);
      }
    }
    this.plannedUntil = to;
  }

  /** Silences everything scheduled, now. */
  stop(): void {
    this.generation++;
    this.anchor = null;
    for (const source of this.sources) {
      try {
        source.stop();
      } catch {
        // Never started (its buffer was still loading): nothing to stop.
      }
      source.disconnect();
    }
    this.sources.clear();
  }

  /** A short grain of what sounds at output time `outS`, now (scrubbing while stopped). */
  grain(outS: number): void {
    const when = this.context.currentTime + 0.005;
    for (const span of audioSpans(this.program, outS, outS + GRAIN_S)) {
      const cut = clipSpan(span, outS, outS + GRAIN_S);
      if (!cut) continue;
      for (const p of pcmPieces(cut)) this.schedule(p, when + (p.outputS - outS), GRAIN_FADE_S);
    }
  }

  dispose(): void {
    this.stop();
    this.master.disconnect();
    this.cache.clear();
  }

  private replan(): void {
    const anchor = this.anchor;
    const loop = this.loop;
    if (!anchor) return;
    this.stop();
    this.anchor = anchor;
    this.loop = loop;
    this.plannedUntil = this.context.currentTime;
    this.tick();
  }

  private schedule(piece: PcmPiece, when: number, fadeS: number): void {
    const generation = this.generation;
    void this.cache.get(piece.mediaId, piece.chunk).then((buffer) => {
      if (!buffer || generation !== this.generation) return;
      const now = this.context.currentTime;
      // Late (the chunk was still loading): start now, that far into the piece.
      const late = Math.max(0, now - when);
      const durationS = piece.durationS - late;
      if (durationS <= 0.001) return;
      const start = when + late;
      const source = this.context.createBufferSource();
      source.buffer = buffer;
      const gain = this.context.createGain();
      if (fadeS > 0) {
        gain.gain.setValueAtTime(0, start);
        gain.gain.linearRampToValueAtTime(piece.gain, start + fadeS);
        gain.gain.setValueAtTime(piece.gain, start + durationS - fadeS);
        gain.gain.linearRampToValueAtTime(0, start + durationS);
      } else {
        gain.gain.value = piece.gain;
      }
      source.connect(gain).connect(this.master);
      source.start(start, piece.offsetS + late, durationS);
      this.sources.add(source);
      source.onended = () => {
        this.sources.delete(source);
        source.disconnect();
        gain.disconnect();
      };
    });
  }
}
