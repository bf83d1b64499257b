/** The right panel: facts about the selected media item, or about the project when none is selected. */
import type { ReactNode } from 'react';
import type { MediaItem, ProjectSnapshot } from '../../../../shared/project/types.ts';
import { formatBytes, formatChannels, formatDuration, formatSampleRate, shortHash } from '../../format/format.ts';
import { TrashIcon } from '../icons.tsx';

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="prop-row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function MediaDetails({ item, onRemove }: { item: MediaItem; onRemove: () => void }) {
  const imported = new Date(item.importedAt);
  return (
    <>
      <dl className="props" data-testid="inspector-details">
        <Row label="Name" testId="inspector-name">
          {item.name}
        </Row>
        <Row label="Type">{item.kind === 'image' ? 'Image' : 'Audio'}</Row>
        <Row label="Format">{item.mime}</Row>
        {item.kind === 'image' ? (
          <Row label="Pixels">{item.width !== null && item.height !== null ? `${item.width} × ${item.height}` : '–'}</Row>
        ) : (
          <>
            <Row label="Duration" testId="inspector-duration">
              {formatDuration(item.durationS)}
            </Row>
            <Row label="Sample rate">{formatSampleRate(item.sampleRate)}</Row>
            <Row label="Channels">{formatChannels(item.channels)}</Row>
          </>
        )}
        <Row label="Size">{formatBytes(item.sizeBytes)}</Row>
        <Row label="SHA-256">
          <code title={item.sha256}>{shortHash(item.sha256)}</code>
        </Row>
        <Row label="Imported">{Number.isNaN(imported.getTime()) ? '–' : imported.toLocaleString()}</Row>
      </dl>
      <div className="panel-actions">
        <button type="button" className="btn btn-danger-ghost" onClick={onRemove} data-testid="inspector-remove">
          <TrashIcon /> Remove from project
        </button>
      </div>
    </>
  );
}

export function Inspector({ snapshot, selected, onRemove }: { snapshot: ProjectSnapshot; selected: MediaItem | null; onRemove: (item: MediaItem) => void }) {
  const images = snapshot.media.filter((m) => m.kind === 'image').length;
  return (
    <aside className="panel inspector" aria-label="Inspector" data-testid="inspector">
      <header className="panel-header">
        <h2 className="panel-title">{selected ? 'Media item' : 'Project'}</h2>
      </header>
      <div className="panel-body">
        {selected ? (
          <MediaDetails item={selected} onRemove={() => onRemove(selected)} />
        ) : (
          <>
            <dl className="props">
              <Row label="Name">{snapshot.name}</Row>
              <Row label="Images">{images}</Row>
              <Row label="Audio">{snapshot.media.length - images}</Row>
              <Row label="File">
                <span className="path" title={snapshot.path}>
                  {snapshot.path}
                </span>
              </Row>
              <Row label="Format">v{snapshot.schemaVersion}</Row>
            </dl>
            <p className="muted panel-hint">Select a media item to see its details.</p>
          </>
        )}
      </div>
    </aside>
  );
}
