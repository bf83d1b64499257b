/**
 * The right panel: facts about the selected media item and what can be made of it (an avatar from
 * an image, a clip from audio), or facts about the project when none is selected.
 */
import type { MediaItem, ProjectSnapshot } from '../../../../shared/project/types.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { formatBytes, formatChannels, formatDuration, formatSampleRate, shortHash } from '../../format/format.ts';
import { PlusIcon, TrashIcon } from '../icons.tsx';
import { AvatarPanel } from './AvatarPanel.tsx';
import { PropRow as Row } from './PropRow.tsx';

type InspectorActions = Pick<StudioActions, 'removeMedia' | 'createAvatar' | 'regenerateAvatar' | 'exportAvatarPly' | 'addToTimeline'>;

function MediaFacts({ item }: { item: MediaItem }) {
  const imported = new Date(item.importedAt);
  return (
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
  );
}

function TimelineSection({ clipCount, onAdd }: { clipCount: number; onAdd: () => void }) {
  return (
    <section className="inspector-section" aria-labelledby="timeline-section-title">
      <h3 className="section-title" id="timeline-section-title">
        Timeline
      </h3>
      <p className="muted" data-testid="inspector-clip-count">
        {clipCount === 0 ? 'Not on the timeline yet.' : `On the timeline ${clipCount === 1 ? 'once' : `${clipCount} times`}.`}
      </p>
      <div className="section-actions">
        <button type="button" className="btn btn-primary" onClick={onAdd} data-testid="add-to-timeline">
          <PlusIcon /> Add to timeline
        </button>
      </div>
    </section>
  );
}

function MediaDetails({ snapshot, item, actions }: { snapshot: ProjectSnapshot; item: MediaItem; actions: InspectorActions }) {
  const active = snapshot.avatars.find((a) => a.id === snapshot.activeAvatarId);
  return (
    <>
      {item.kind === 'image' ? (
        // Keyed: a build still running for one image must not show as busy on the next.
        <AvatarPanel key={item.id} portrait={item} avatar={active?.portraitMediaId === item.id ? active : null} actions={actions} />
      ) : (
        <TimelineSection clipCount={snapshot.clips.filter((c) => c.mediaId === item.id).length} onAdd={() => void actions.addToTimeline(item)} />
      )}
      <MediaFacts item={item} />
      <div className="panel-actions">
        <button type="button" className="btn btn-danger-ghost" onClick={() => void actions.removeMedia(item)} data-testid="inspector-remove">
          <TrashIcon /> Remove from project
        </button>
      </div>
    </>
  );
}

export function Inspector({ snapshot, selected, actions }: { snapshot: ProjectSnapshot; selected: MediaItem | null; actions: InspectorActions }) {
  const images = snapshot.media.filter((m) => m.kind === 'image').length;
  return (
    <aside className="panel inspector" aria-label="Inspector" data-testid="inspector">
      <header className="panel-header">
        <h2 className="panel-title">{selected ? 'Media item' : 'Project'}</h2>
      </header>
      <div className="panel-body">
        {selected ? (
          <MediaDetails snapshot={snapshot} item={selected} actions={actions} />
        ) : (
          <>
            <dl className="props">
              <Row label="Name">{snapshot.name}</Row>
              <Row label="Images">{images}</Row>
              <Row label="Audio">{snapshot.media.length - images}</Row>
              <Row label="Avatars">{snapshot.avatars.length}</Row>
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
