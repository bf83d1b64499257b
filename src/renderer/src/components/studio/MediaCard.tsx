/**
 * One media item in the bin: select with a click, rename with a double click, remove with the bin
 * icon; audio drags onto a timeline track (it carries its id, state/editor-dnd.ts).
 */
import { useState } from 'react';
import type { MediaItem } from '../../../../shared/project/types.ts';
import { formatBytes, formatLabel } from '../../format/format.ts';
import { MEDIA_DRAG_TYPE } from '../../state/editor-dnd.ts';
import { AudioIcon, ImageIcon, TrashIcon } from '../icons.tsx';
import { MediaThumb } from './MediaThumb.tsx';
import { RenameInput } from './RenameInput.tsx';

interface Props {
  item: MediaItem;
  selected: boolean;
  onSelect: () => void;
  onRename: (name: string) => void;
  onRemove: () => void;
}

/** Format and size; the picture above carries the pixel size or the duration. */
export function mediaSummary(item: MediaItem): string {
  return `${formatLabel(item.mime)} · ${formatBytes(item.sizeBytes)}`;
}

export function MediaCard({ item, selected, onSelect, onRename, onRemove }: Props) {
  const [renaming, setRenaming] = useState(false);
  return (
    <li
      className={`media-card ${selected ? 'is-selected' : ''}`}
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      data-testid="media-card"
      data-kind={item.kind}
      data-media-id={item.id}
      data-name={item.name}
      onClick={onSelect}
      onFocus={onSelect}
      onDoubleClick={() => setRenaming(true)}
      draggable={item.kind === 'audio' && !renaming}
      onDragStart={(e) => {
        e.dataTransfer.setData(MEDIA_DRAG_TYPE, item.id);
        e.dataTransfer.setData('text/plain', item.name);
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget) return;
        if (e.key === 'F2' || e.key === 'Enter') {
          e.preventDefault();
          setRenaming(true);
        }
      }}
    >
      <div className={`media-thumb media-thumb-${item.kind}`}>
        <MediaThumb item={item} />
        <span className="kind-badge" title={item.kind === 'image' ? 'Image' : 'Audio'}>
          {item.kind === 'image' ? <ImageIcon size={12} /> : <AudioIcon size={12} />}
        </span>
      </div>
      <div className="media-info">
        {renaming ? (
          <RenameInput
            initial={item.name}
            label={`Rename ${item.name}`}
            testId="media-rename-input"
            onCommit={(name) => {
              setRenaming(false);
              onRename(name);
            }}
            onCancel={() => setRenaming(false)}
          />
        ) : (
          <span className="media-name" title={`${item.name} (double-click to rename)`} data-testid="media-name">
            {item.name}
          </span>
        )}
        <span className="media-meta">{mediaSummary(item)}</span>
      </div>
      <button
        type="button"
        className="icon-btn icon-btn-small media-remove"
        aria-label={`Remove ${item.name}`}
        title="Remove from project (Delete)"
        tabIndex={-1}
        onClick={(e) => {
          e.stopPropagation();
          onRemove();
        }}
        data-testid="media-remove"
      >
        <TrashIcon size={14} />
      </button>
    </li>
  );
}
