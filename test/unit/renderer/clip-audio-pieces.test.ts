/**
 * Where a clip's waveform is drawn on the ruler: where its audio sounds, at the ruler's scale, with
 * gaps where a time-warp segment holds it silent. Checked against the audio mix's own rule
 * (time-warp.ts: audio follows animation time and is silent inside segments), sampled densely.
 */
import { describe, expect, it } from 'vitest';
import { clipAudioPieces, clipViews } from '../../../src/renderer/src/state/editor-model.ts';
import type { AudioClip, MediaItem, TimeWarpSegment } from '../../../src/shared/project/types.ts';
import { animationTimeAt, warpPieces } from '../../../src/shared/timeline/time-warp.ts';

const media = [{ id: 'm', kind: 'audio', name: 'speech.wav', durationS: 6 }] as MediaItem[];
const clip = { id: 'c', mediaId: 'm', trackId: 't', startS: 0.5, trimInS: 0.25, trimOutS: 0.75, gain: 1 } as AudioClip;
const segment = (startS: number, endS: number, rate: number, audioMode: 'pause' | 'silence'): TimeWarpSegment => ({ id: `s${startS}`, startS, endS, rate, audioMode, clipId: null }) as TimeWarpSegment;

function view(timeWarp: TimeWarpSegment[]) {
  return clipViews({ media, clips: [clip], timeWarp })[0]!;
}

describe('clipAudioPieces', () => {
  it('is one audible piece, the whole clip, without a time warp', () => {
    expect(clipAudioPieces([], view([]))).toEqual([{ offsetS: 0, lengthS: 5, mediaStartS: 0.25, mediaLengthS: 5, audible: true }]);
  });

  it('breaks at a pause freeze: the sound stops, then resumes where it stopped', () => {
    const warp = [segment(1.5, 2.5, 0, 'pause')];
    expect(clipAudioPieces(warp, view(warp))).toEqual([
      { offsetS: 0, lengthS: 1, mediaStartS: 0.25, mediaLengthS: 1, audible: true },
      { offsetS: 1, lengthS: 1, mediaStartS: 1.25, mediaLengthS: 0, audible: false },
      { offsetS: 2, lengthS: 4, mediaStartS: 1.25, mediaLengthS: 4, audible: true },
    ]);
  });

  it('draws, at every output time, the media time the mix plays there (or silence)', () => {
    for (const warp of [[segment(1.5, 2.5, 0, 'pause')], [segment(1, 2, 0.5, 'pause'), segment(3, 3.5, 0, 'silence')], [segment(0, 1, 0, 'silence')]]) {
      const v = view(warp);
      const pieces = clipAudioPieces(warp, v);
      // Contiguous, covering the clip's span on the ruler.
      expect(pieces[0]!.offsetS).toBe(0);
      for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.offsetS).toBeCloseTo(pieces[i - 1]!.offsetS + pieces[i - 1]!.lengthS, 12);
      const total = pieces.reduce((sum, p) => sum + p.lengthS, 0);
      expect(total).toBeCloseTo(v.outEndS - v.outStartS, 12);
      for (let t = v.outStartS + 0.005; t < v.outEndS; t += 0.01) {
        const piece = pieces.find((p) => t - v.outStartS >= p.offsetS && t - v.outStartS < p.offsetS + p.lengthS)!;
        const sounding = warpPieces(warp, t, t + 1e-9)[0]!.audible;
        expect(piece.audible, `t=${t}`).toBe(sounding);
        if (sounding) {
          const mediaNow = clip.trimInS + animationTimeAt(warp, t) - clip.startS;
          expect(piece.mediaStartS + (t - v.outStartS - piece.offsetS), `t=${t}`).toBeCloseTo(mediaNow, 9);
        }
      }
    }
  });
});
