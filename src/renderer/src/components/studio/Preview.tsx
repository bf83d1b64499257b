/**
 * The centre stage. Until the avatar is built it shows the portrait it will be built from
 * (the selected image, else the newest one), or asks for one.
 */
import type { MediaItem } from '../../../../shared/project/types.ts';
import { useThumbnail } from '../../hooks/use-thumbnail.ts';
import { ImageIcon, ImportIcon, SpinnerIcon } from '../icons.tsx';

function Portrait({ item }: { item: MediaItem }) {
  const thumb = useThumbnail(item.id, item.sha256);
  return (
    <figure className="preview-portrait">
      <div className="preview-frame">
        {thumb.status === 'ready' ? (
          <img src={thumb.url} alt={`Portrait: ${item.name}`} draggable={false} data-testid="preview-image" />
        ) : thumb.status === 'loading' ? (
          <SpinnerIcon size={24} />
        ) : (
          <ImageIcon size={32} />
        )}
      </div>
      <figcaption className="preview-caption">
        <span className="preview-caption-name">{item.name}</span>
        <span className="muted">Source portrait · the 3D avatar will be built from this image</span>
      </figcaption>
    </figure>
  );
}

export function Preview({ media, selected, onImport }: { media: readonly MediaItem[]; selected: MediaItem | null; onImport: () => void }) {
  const images = media.filter((m) => m.kind === 'image');
  const portrait = selected?.kind === 'image' ? selected : images[images.length - 1];
  return (
    <section className="preview" aria-label="Preview" data-testid="preview">
      <div className="preview-stage">
        {portrait ? (
          <Portrait key={portrait.id} item={portrait} />
        ) : (
          <div className="preview-empty" data-testid="preview-placeholder">
            <div className="preview-empty-art" aria-hidden="true">
              <ImageIcon size={32} />
            </div>
            <p className="preview-empty-title">Import a portrait to build the avatar</p>
            <p className="muted">A front-facing photo with the whole head in view works best.</p>
            <button type="button" className="btn" onClick={onImport}>
              <ImportIcon /> Import portrait…
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
