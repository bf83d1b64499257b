/** The clip inspector's "Replace audio…" choices: audio from the bin, other than the clip's own, long enough or not. */
import { describe, expect, it } from 'vitest';
import { replacementChoices } from '../../../src/renderer/src/components/inspector/replace-audio.ts';
import type { MediaItem } from '../../../src/shared/project/types.ts';

function item(id: string, kind: MediaItem['kind'], durationS: number | null): MediaItem {
  return {
    id,
    kind,
    name: `${id}.${kind === 'audio' ? 'wav' : 'png'}`,
    mime: kind === 'audio' ? 'audio/wav' : 'image/png',
    sha256: id.padEnd(64, '0'),
    sizeBytes: 1000,
    width: kind === 'image' ? 512 : null,
    height: kind === 'image' ? 512 : null,
    durationS,
    sampleRate: kind === 'audio' ? 16_000 : null,
    channels: kind === 'audio' ? 1 : null,
    importedAt: '2025-01-01T00:00:00.000Z',
  };
}

describe('replacementChoices', () => {
  const bin = [item('speech', 'audio', 5.95), item('portrait', 'image', null), item('short', 'audio', 2), item('exact', 'audio', 3.45), item('long', 'audio', 12)];

  it('lists the other audio items in bin order, never images or the clip’s own media', () => {
    const choices = replacementChoices(bin, { mediaId: 'speech', lengthS: 3.45 });
    expect(choices.map((c) => c.id)).toEqual(['short', 'exact', 'long']);
  });

  it('marks items shorter than the played length (equal is long enough) and says why', () => {
    const choices = replacementChoices(bin, { mediaId: 'speech', lengthS: 3.45 });
    expect(choices.map((c) => [c.id, c.fits])).toEqual([['short', false], ['exact', true], ['long', true]]);
    expect(choices[0]!.label).toBe('short.wav (0:02.0, shorter than the clip)');
    expect(choices[2]!.label).toBe('long.wav (0:12.0)');
  });

  it('is empty when the bin has no other audio', () => {
    expect(replacementChoices([item('speech', 'audio', 5.95), item('portrait', 'image', null)], { mediaId: 'speech', lengthS: 1 })).toEqual([]);
  });
});
