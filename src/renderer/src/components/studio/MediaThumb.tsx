/** The picture of a media item: an image's thumbnail, or a waveform glyph and duration for audio. */
import type { MediaItem } from '../../../../shared/project/types.ts';
import { formatDuration } from '../../format/format.ts';
import { useThumbnail } from '../../hooks/use-thumbnail.ts';
import { ImageIcon, SpinnerIcon } from '../icons.tsx';
import { WaveformGlyph } from './WaveformGlyph.tsx';

function ImageThumb({ item }: { item: MediaItem }) {
  const thumb = useThumbnail(item.id, item.sha256);
  if (thumb.status === 'ready') {
    return <img className="thumb-img" src={thumb.url} alt="" draggable={false} data-testid="media-thumb" />;
  }
  return <span className="thumb-placeholder">{thumb.status === 'loading' ? <SpinnerIcon /> : <ImageIcon size={24} />}</span>;
}

export function MediaThumb({ item }: { item: MediaItem }) {
  if (item.kind === 'image') {
    return (
      <>
        <ImageThumb item={item} />
        {item.width !== null && item.height !== null && (
          <span className="corner-badge" data-testid="media-pixels">
            {item.width}×{item.height}
          </span>
        )}
      </>
    );
  }
  return (
    <>
      <WaveformGlyph item={item} className="thumb-wave" />
      <span className="corner-badge" data-testid="media-duration">
        {formatDuration(item.durationS)}
      </span>
    </>
  );
}
