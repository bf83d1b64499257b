/** The left panel: every imported image and sound as a grid of cards. Arrow keys move the selection. */
import type { KeyboardEvent } from 'react';
import type { MediaItem } from '../../../../shared/project/types.ts';
import { ImportIcon } from '../icons.tsx';
import { MediaCard } from './MediaCard.tsx';

interface Props {
  media: readonly MediaItem[];
  selectedId: string | null;
  onSelect: (id: string | null) => void;
  onRename: (id: string, name: string) => void;
  onRemove: (item: MediaItem) => void;
  onImport: () => void;
}

const COLUMNS = 2;

export function MediaBin({ media, selectedId, onSelect, onRename, onRemove, onImport }: Props) {
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const delta = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[e.key];
    if (delta === undefined || media.length === 0) return;
    e.preventDefault();
    const index = media.findIndex((m) => m.id === selectedId);
    const next = media[Math.min(media.length - 1, Math.max(0, index < 0 ? 0 : index + delta))];
    if (!next) return;
    onSelect(next.id);
    const card = e.currentTarget.querySelector<HTMLElement>(`[data-media-id="${CSS.escape(next.id)}"]`);
    card?.focus();
  };

  return (
    <aside className="panel media-bin" aria-label="Media" data-testid="media-bin">
      <header className="panel-header">
        <h2 className="panel-title">
          Media <span className="count">{media.length}</span>
        </h2>
        <button type="button" className="icon-btn" aria-label="Import media" title="Import media" onClick={onImport}>
          <ImportIcon />
        </button>
      </header>
      {media.length === 0 ? (
        <div className="bin-empty">
          <p>No media yet.</p>
          <p className="muted">Import a portrait and some speech, or drop files anywhere in the window.</p>
          <button type="button" className="btn" onClick={onImport}>
            <ImportIcon /> Import files…
          </button>
        </div>
      ) : (
        <ul
          className="media-grid"
          role="listbox"
          aria-label="Media items"
          tabIndex={selectedId ? -1 : 0}
          onKeyDown={onKeyDown}
          onClick={(e) => {
            if (e.target === e.currentTarget) onSelect(null);
          }}
        >
          {media.map((item) => (
            <MediaCard
              key={item.id}
              item={item}
              selected={item.id === selectedId}
              onSelect={() => onSelect(item.id)}
              onRename={(name) => onRename(item.id, name)}
              onRemove={() => onRemove(item)}
            />
          ))}
        </ul>
      )}
    </aside>
  );
}
