/**
 * timeline.* methods: audio clips on audio tracks. Each is one undoable edit; clip times are
 * validated against the media's duration so a clip never plays past its audio. Camera keys and
 * time-warp segments tied to a clip (src/shared/timeline/ties.ts) move with it, follow its halves
 * when it is split, and are untied when it is removed, all in the same edit.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api/errors.ts';
import type { ApiParsedInput, StudioHandlers } from '../../shared/api/contract.ts';
import type { AudioClip, MediaItem, ProjectSnapshot, Track } from '../../shared/project/types.ts';
import { clipEnd, clipLength, MIN_CLIP_S, splitClipAt, trimsForReplacement } from '../../shared/timeline/clip-geometry.ts';
import { fallsAfterCut, tiedChanges } from '../../shared/timeline/ties.ts';
import { validateSegments } from '../../shared/timeline/time-warp.ts';
import type { Mutator } from '../project/history.ts';
import { checkKeyTimes, clipOf, mediaOf } from './edit-checks.ts';
import type { StudioContext } from './studio-context.ts';

type TimelineHandlers = Pick<
  StudioHandlers,
  'timeline.addClip' | 'timeline.updateClip' | 'timeline.removeClip' | 'timeline.removeClips' | 'timeline.updateClips' | 'timeline.replaceMedia' | 'timeline.splitClip' | 'timeline.updateTrack'
>;
type ClipChange = ApiParsedInput<'timeline.updateClips'>['changes'][number];

export { MIN_CLIP_S };

export function clipDuration(clip: Pick<AudioClip, 'trimInS' | 'trimOutS'>, media: Pick<MediaItem, 'durationS'>): number {
  return clipLength(clip, media.durationS ?? 0);
}



function audioTrackOf(snapshot: ProjectSnapshot, trackId: string): Track {
  const track = snapshot.tracks.find((t) => t.id === trackId);
  if (!track) throw new ApiError('NOT_FOUND', 'That track is no longer in the project.', { trackId });
  if (track.kind !== 'audio') throw new ApiError('INVALID_INPUT', `${track.name} is a ${track.kind} track; audio clips go on audio tracks.`, { trackId });
  return track;
}

/** Seconds as messages show them. */
const s2 = (seconds: number): string => `${seconds.toFixed(2)} s`;

/** Writes the untying of every key and segment tied to `clipId` (before the clip is deleted: the foreign key needs it). */
export function untieClip(m: Mutator, snapshot: ProjectSnapshot, clipId: string): void {
  for (const key of snapshot.cameraKeys) if (key.clipId === clipId) m.update('camera_keyframes', key.id, { clip_id: null });
  for (const segment of snapshot.timeWarp) if (segment.clipId === clipId) m.update('timewarp_segments', segment.id, { clip_id: null });
}

interface ClipPlan {
  clips: AudioClip[];
  keys: { id: string; timeS: number }[];
  segments: { id: string; startS: number; endS: number }[];
}

/** The clips after `changes`, with the tied items they carry along; every rule checked before anything is written. */
function planClipChanges(snapshot: ProjectSnapshot, changes: readonly ClipChange[]): ClipPlan {
  const seen = new Set<string>();
  const plan: ClipPlan = { clips: [], keys: [], segments: [] };
  for (const change of changes) {
    if (seen.has(change.clipId)) throw new ApiError('INVALID_INPUT', 'A clip appears twice in one edit.', { clipId: change.clipId });
    seen.add(change.clipId);
    const clip = clipOf(snapshot, change.clipId);
    const oldMedia = mediaOf(snapshot, clip.mediaId);
    const media = change.mediaId === undefined ? oldMedia : mediaOf(snapshot, change.mediaId);
    if (media.kind !== 'audio') throw new ApiError('INVALID_INPUT', `${media.name} is an image; only audio goes on an audio track.`, { mediaId: media.id });
    const trackId = change.trackId === undefined ? clip.trackId : audioTrackOf(snapshot, change.trackId).id;
    const replaced = media.id !== oldMedia.id ? trimsForReplacement(clip, oldMedia.durationS ?? 0, media.durationS ?? 0) : clip;
    const next: AudioClip = {
      id: clip.id,
      trackId,
      mediaId: media.id,
      startS: change.startS ?? clip.startS,
      trimInS: change.trimInS ?? replaced.trimInS,
      trimOutS: change.trimOutS ?? replaced.trimOutS,
      gain: change.gain ?? clip.gain,
    };
    if (clipDuration(next, media) < MIN_CLIP_S) {
      throw new ApiError('INVALID_INPUT', `The trims leave less than ${MIN_CLIP_S * 1000} ms of ${media.name} (${(media.durationS ?? 0).toFixed(2)} s long).`, { clipId: clip.id });
    }
    const deltaS = next.startS - clip.startS;
    const tied = tiedChanges(clip.id, deltaS, snapshot.cameraKeys, snapshot.timeWarp);
    const early = Math.min(...tied.keys.map((k) => k.timeS), ...tied.segments.map((s) => s.startS));
    if (early < 0) {
      throw new ApiError(
        'INVALID_INPUT',
        `Moving ${media.name} by ${s2(deltaS)} would put what is tied to it at ${s2(early)}, before the timeline starts. Move it less, or untie the camera keys and time-warp segments first.`,
        { clipId: clip.id },
      );
    }
    plan.clips.push(next);
    plan.keys.push(...tied.keys);
    plan.segments.push(...tied.segments);
  }
  const movedKeys = new Map(plan.keys.map((k) => [k.id, k.timeS]));
  checkKeyTimes(snapshot.cameraKeys.map((k) => movedKeys.get(k.id) ?? k.timeS), 'Moving the clip');
  const moved = new Map(plan.segments.map((s) => [s.id, s]));
  const problem = validateSegments(snapshot.timeWarp.map((s) => ({ ...s, ...moved.get(s.id) })));
  if (problem) throw new ApiError('INVALID_INPUT', `${problem} Move the clip elsewhere, or untie its time-warp segments first.`);
  return plan;
}

/** Seconds compared as equal when a played length is checked against a media's duration (float sums of trims). */
const LENGTH_EPSILON_S = 1e-6;

/**
 * The change that makes `clip` play `media` instead (timeline.replaceMedia): the same played
 * length from the same in point, or from an earlier one where the new media ends too soon; an
 * error when the new media is shorter than the length played.
 */
export function replacementChange(snapshot: ProjectSnapshot, clipId: string, mediaId: string): ClipChange {
  const clip = clipOf(snapshot, clipId);
  const oldMedia = mediaOf(snapshot, clip.mediaId);
  const media = mediaOf(snapshot, mediaId);
  if (media.kind !== 'audio') throw new ApiError('INVALID_INPUT', `${media.name} is an image; only audio goes on an audio track.`, { mediaId });
  const lengthS = clipDuration(clip, oldMedia);
  const newS = media.durationS ?? 0;
  if (lengthS > newS + LENGTH_EPSILON_S) {
    throw new ApiError(
      'INVALID_INPUT',
      `The clip plays ${s2(lengthS)} of ${oldMedia.name}, but ${media.name} is only ${s2(newS)} long. Trim the clip to ${s2(newS)} or less first, or choose longer audio.`,
      { clipId, mediaId },
    );
  }
  const trimInS = Math.max(0, Math.min(clip.trimInS, newS - lengthS));
  return { clipId, mediaId, trimInS, trimOutS: Math.max(0, newS - trimInS - lengthS) };
}

function writeClipPlan(m: Mutator, plan: ClipPlan): void {
  for (const c of plan.clips) {
    m.update('audio_clips', c.id, { track_id: c.trackId, media_id: c.mediaId, start_s: c.startS, trim_in_s: c.trimInS, trim_out_s: c.trimOutS, gain: c.gain });
  }
  for (const k of plan.keys) m.update('camera_keyframes', k.id, { time_s: k.timeS });
  for (const s of plan.segments) m.update('timewarp_segments', s.id, { start_s: s.startS, end_s: s.endS });
}

function trackLabel(track: Track, input: ApiParsedInput<'timeline.updateTrack'>): string {
  const fields = [input.muted, input.solo, input.gain].filter((v) => v !== undefined).length;
  if (fields === 1 && input.muted !== undefined) return `${input.muted ? 'Mute' : 'Unmute'} ${track.name}`;
  if (fields === 1 && input.solo !== undefined) return `${input.solo ? 'Solo' : 'Unsolo'} ${track.name}`;
  if (fields === 1 && input.gain !== undefined) return `Gain of ${track.name}`;
  return `Edit ${track.name}`;
}

export function timelineHandlers(ctx: StudioContext): TimelineHandlers {
  /** Runs one planned clip edit through the queue and publishes the result. */
  const editClips = (label: (snapshot: ProjectSnapshot) => string, changes: readonly ClipChange[]) =>
    ctx.queue.run(() => {
      const store = ctx.requireProject();
      const snapshot = store.snapshot();
      const plan = planClipChanges(snapshot, changes);
      store.edit(label(snapshot), (m) => writeClipPlan(m, plan));
      return ctx.publish();
    });

  /** Removes clips, untying what is tied to them, as one edit; every id is checked before anything is written. */
  const removeClips = (clipIds: readonly string[]) =>
    ctx.queue.run(() => {
      const store = ctx.requireProject();
      const snapshot = store.snapshot();
      const clips = [...new Set(clipIds)].map((id) => clipOf(snapshot, id));
      const label = clips.length === 1 ? `Remove clip ${mediaOf(snapshot, clips[0]!.mediaId).name}` : `Remove ${clips.length} clips`;
      store.edit(label, (m) => {
        for (const clip of clips) {
          untieClip(m, snapshot, clip.id);
          m.delete('audio_clips', clip.id);
        }
      });
      return ctx.publish();
    });

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

    'timeline.updateClip': ({ clipId, ...change }) =>
      editClips((snapshot) => `Edit clip ${mediaOf(snapshot, clipOf(snapshot, clipId).mediaId).name}`, [{ clipId, ...change }]),

    'timeline.updateClips': ({ label, changes }) => editClips(() => label, changes),

    'timeline.replaceMedia': ({ clipId, mediaId }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const change = replacementChange(snapshot, clipId, mediaId);
        const plan = planClipChanges(snapshot, [change]);
        const from = mediaOf(snapshot, clipOf(snapshot, clipId).mediaId).name;
        store.edit(`Replace ${from} with ${mediaOf(snapshot, mediaId).name}`, (m) => writeClipPlan(m, plan));
        return ctx.publish();
      }),

    'timeline.splitClip': ({ clipId, atS }) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const clip = clipOf(snapshot, clipId);
        const media = mediaOf(snapshot, clip.mediaId);
        const halves = splitClipAt(clip, media.durationS ?? 0, atS);
        if (!halves) {
          throw new ApiError(
            'INVALID_INPUT',
            `Cannot cut ${media.name} at ${s2(atS)}: the cut must fall inside the clip (${s2(clip.startS)} to ${s2(clipEnd(clip, media.durationS ?? 0))}) and leave at least ${MIN_CLIP_S * 1000} ms on each side.`,
            { clipId },
          );
        }
        const [left, right] = halves;
        const rightId = randomUUID();
        store.edit(`Split ${media.name}`, (m) => {
          m.update('audio_clips', clip.id, { trim_out_s: left.trimOutS });
          m.insert('audio_clips', { id: rightId, track_id: right.trackId, media_id: right.mediaId, start_s: right.startS, trim_in_s: right.trimInS, trim_out_s: right.trimOutS, gain: right.gain });
          // The new clip exists before anything is tied to it (foreign key).
          for (const key of snapshot.cameraKeys) if (key.clipId === clip.id && fallsAfterCut(key, atS)) m.update('camera_keyframes', key.id, { clip_id: rightId });
          for (const seg of snapshot.timeWarp) if (seg.clipId === clip.id && fallsAfterCut(seg, atS)) m.update('timewarp_segments', seg.id, { clip_id: rightId });
        });
        return ctx.publish();
      }),

    'timeline.updateTrack': (input) =>
      ctx.queue.run(() => {
        const store = ctx.requireProject();
        const snapshot = store.snapshot();
        const track = snapshot.tracks.find((t) => t.id === input.trackId);
        if (!track) throw new ApiError('NOT_FOUND', 'That track is no longer in the project.', { trackId: input.trackId });
        if (track.kind !== 'audio') throw new ApiError('INVALID_INPUT', `${track.name} is a ${track.kind} track; only audio tracks have mute, solo and gain.`, { trackId: track.id });
        store.edit(trackLabel(track, input), (m) =>
          m.update('tracks', track.id, {
            muted: (input.muted ?? track.muted) ? 1 : 0,
            solo: (input.solo ?? track.solo) ? 1 : 0,
            gain: input.gain ?? track.gain,
          }),
        );
        return ctx.publish();
      }),

    'timeline.removeClip': ({ clipId }) => removeClips([clipId]),

    'timeline.removeClips': ({ clipIds }) => removeClips(clipIds),
  };
}
