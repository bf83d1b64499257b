/**
 * media.peaks and media.pcm: what the timeline draws and plays of an audio item, served from the
 * engine side so the renderer never decodes long audio (issue 6). Both read the media from the
 * open project (its blob, as a file in the project's cache for ffmpeg).
 */
import { ApiError } from '../../shared/api/errors.ts';
import type { StudioHandlers } from '../../shared/api/contract.ts';
import type { MediaItem } from '../../shared/project/types.ts';
import { slicePeaks } from '../media/fine-peaks.ts';
import { PeakCache, peakFilePath } from '../media/peak-cache.ts';
import { decodePcmRange } from '../media/pcm-range.ts';
import { mediaFile } from '../media/project-cache.ts';
import type { ProjectStore } from '../project/project-store.ts';
import type { StudioContext } from './studio-context.ts';

type MediaAudioHandlers = Pick<StudioHandlers, 'media.peaks' | 'media.pcm'>;

function audioMedia(store: ProjectStore, id: string): MediaItem {
  const media = store.getMedia(id);
  if (!media) throw new ApiError('NOT_FOUND', 'That media item is no longer in the project.', { mediaId: id });
  if (media.kind !== 'audio') throw new ApiError('INVALID_INPUT', `${media.name} is an image; it has no sound.`, { mediaId: id });
  return media;
}

/** Waits for `work`, or rejects CANCELLED when the caller gives up (shared work goes on for the others). */
function unlessCancelled<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ApiError('CANCELLED', 'Waveform request cancelled'));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new ApiError('CANCELLED', 'Waveform request cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function mediaAudioHandlers(ctx: StudioContext): MediaAudioHandlers {
  const peaks = new PeakCache();

  return {
    'media.peaks': async ({ mediaId, startS, endS, bins }, { signal }) => {
      if (!(endS > startS)) throw new ApiError('INVALID_INPUT', `The waveform range must end after it starts (got ${startS} to ${endS} s).`);
      const store = ctx.requireProject();
      const media = audioMedia(store, mediaId);
      const fine = await unlessCancelled(
        peaks.get({ cacheFile: peakFilePath(store.path, media.sha256), audioFile: () => mediaFile(store, media), name: media.name, durationS: media.durationS ?? 0 }),
        signal,
      );
      return { peaks: slicePeaks(fine, startS, endS, bins), startS, endS };
    },

    'media.pcm': async ({ mediaId, startS, durationS, sampleRate }, { signal }) => {
      const store = ctx.requireProject();
      const media = audioMedia(store, mediaId);
      const range = await decodePcmRange(await mediaFile(store, media), { name: media.name, startS, durationS, sampleRate, mediaDurationS: media.durationS, signal });
      const { samples } = range;
      return { sampleRate, startS: range.startS, bytes: new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength) };
    },
  };
}
