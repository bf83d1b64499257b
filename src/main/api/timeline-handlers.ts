/**
 * timeline.* methods: audio clips on audio tracks. Each is one undoable edit; clip times are
 * validated against the media's duration so a clip never plays past its audio.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api/errors.ts';
import type { StudioHandlers } from '../../shared/api/contract.ts';
import type { AudioClip, MediaItem, ProjectSnapshot } from '../../shared/project/types.ts';
import type { StudioContext } from './studio-context.ts';

type TimelineHandlers = Pick<StudioHandlers, 'timeline.addClip' | 'timeline.updateClip' | 'timeline.removeClip'>;

/** Shortest audible part of a clip, seconds (one frame at 25 fps). */
export const MIN_CLIP_S = 0.04;

export function clipDuration(clip: Pick<AudioClip, 'trimInS' | 'trimOutS'>, media: Pick<MediaItem, 'durationS'>): number {
  return Math.max(0, (media.durationS ?? 0) - clip.trimInS - clip.trimOutS);
}

export function timelineHandlers(ctx: StudioContext): TimelineHandlers {
  const mediaOf = (snapshot: ProjectSnapshot, mediaId: string): MediaItem => {
    const media = snapshot.media.find((m) => m.id === mediaId);
    if (!media) throw new ApiError('NOT_FOUND', 'That media item is no longer in the project.');
    return media;
  };

  return {
    'timeline.addClip': ({ mediaId, trackId, startS }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const media = mediaOf(snapshot, mediaId);
        if (media.kind !== 'audio') throw new ApiError('INVALID_INPUT', `${media.name} is an image; only audio goes on an audio track.`);
        const track = trackId ? snapshot.tracks.find((t) => t.id === trackId) : snapshot.tracks.find((t) => t.kind === 'audio');
        if (!track || track.kind !== 'audio') throw new ApiError('NOT_FOUND', 'That audio track is no longer in the project.');
        const end = snapshot.clips
          .filter((c) => c.trackId === track.id)
          .reduce((latest, c) => Math.max(latest, c.startS + clipDuration(c, mediaOf(snapshot, c.mediaId))), 0);
        store.edit(`Add ${media.name} to ${track.name}`, (m) =>
          m.insert('audio_clips', { id: randomUUID(), track_id: track.id, media_id: media.id, start_s: startS ?? end, trim_in_s: 0, trim_out_s: 0, gain: 1 }),
        );
        return ctx.publish();
      }),

    'timeline.updateClip': ({ clipId, startS, trimInS, trimOutS, gain }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const clip = snapshot.clips.find((c) => c.id === clipId);
        if (!clip) throw new ApiError('NOT_FOUND', 'That clip is no longer on the timeline.');
        const media = mediaOf(snapshot, clip.mediaId);
        const next = { ...clip, startS: startS ?? clip.startS, trimInS: trimInS ?? clip.trimInS, trimOutS: trimOutS ?? clip.trimOutS, gain: gain ?? clip.gain };
        if (clipDuration(next, media) < MIN_CLIP_S) {
          throw new ApiError('INVALID_INPUT', `The trims leave less than ${MIN_CLIP_S * 1000} ms of ${media.name} (${(media.durationS ?? 0).toFixed(2)} s long).`);
        }
        store.edit(`Edit clip ${media.name}`, (m) =>
          m.update('audio_clips', clipId, { start_s: next.startS, trim_in_s: next.trimInS, trim_out_s: next.trimOutS, gain: next.gain }),
        );
        return ctx.publish();
      }),

    'timeline.removeClip': ({ clipId }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const clip = snapshot.clips.find((c) => c.id === clipId);
        if (!clip) throw new ApiError('NOT_FOUND', 'That clip is no longer on the timeline.');
        store.edit(`Remove clip ${mediaOf(snapshot, clip.mediaId).name}`, (m) => m.delete('audio_clips', clipId));
        return ctx.publish();
      }),
  };
}
