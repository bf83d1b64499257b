/**
 * What the clip inspector's "Replace audio…" offers: the project's audio items from the bin,
 * other than the one the clip plays, each saying whether it is long enough for the clip's played
 * length. The back end enforces the same rule (timeline.replaceMedia, timeline-handlers.ts
 * replacementChange); the choice list only saves a round trip to an error.
 */
import type { MediaItem } from '../../../../shared/project/types.ts';
import { formatDuration } from '../../format/format.ts';

export interface ReplacementChoice {
  id: string;
  name: string;
  /** What the option shows: the name, its length, and why it cannot be chosen. */
  label: string;
  /** Long enough for the clip's played length. */
  fits: boolean;
}

/** Seconds of slack when comparing lengths, as the back end does (float sums of trims). */
const LENGTH_EPSILON_S = 1e-6;

export function replacementChoices(media: readonly MediaItem[], current: { mediaId: string; lengthS: number }): ReplacementChoice[] {
  return media
    .filter((m) => m.kind === 'audio' && m.id !== current.mediaId)
    .map((m) => {
      const durationS = m.durationS ?? 0;
      const fits = durationS + LENGTH_EPSILON_S >= current.lengthS;
      const length = formatDuration(m.durationS);
      return { id: m.id, name: m.name, label: fits ? `${m.name} (${length})` : `${m.name} (${length}, shorter than the clip)`, fits };
    });
}
