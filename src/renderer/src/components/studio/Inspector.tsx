/**
 * The right panel, following the selection: camera keys (placement, interpolation, tie),
 * a time-warp segment (rate, audio, tie), clips (gain, start, trims), or a media item (facts and
 * what can be made of it: an avatar from an image, a clip from audio). With nothing selected:
 * the camera path as a whole (add a key, presets, camera_path.json) and facts about the project.
 */
import type { CameraState } from '../../../../shared/camera/camera-path.ts';
import type { MediaItem, ProjectSnapshot } from '../../../../shared/project/types.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import type { Transport } from '../../playback/transport.ts';
import { clipViews } from '../../state/editor-model.ts';
import type { Selection } from '../../state/editor-selection.ts';
import { CameraPathSection } from '../inspector/CameraPathSection.tsx';
import { ClipInspector } from '../inspector/ClipInspector.tsx';
import { KeyInspector } from '../inspector/KeyInspector.tsx';
import { SegmentInspector } from '../inspector/SegmentInspector.tsx';
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

interface Props {
  snapshot: ProjectSnapshot;
  selection: Selection;
  actions: StudioActions;
  transport: Transport;
  getCurrentView: () => CameraState;
  safeFrameAspect: number;
  onSplit: () => void;
}

const TITLES: Record<Selection['kind'], string> = {
  none: 'Project',
  media: 'Media item',
  clips: 'Clip',
  keys: 'Camera key',
  segments: 'Time warp',
};

export function Inspector({ snapshot, selection, actions, transport, getCurrentView, safeFrameAspect, onSplit }: Props) {
  const images = snapshot.media.filter((m) => m.kind === 'image').length;
  const ids = selection.kind === 'none' ? [] : selection.ids;
  let body;
  if (selection.kind === 'media' && snapshot.media.some((m) => m.id === ids[0])) {
    const item = snapshot.media.find((m) => m.id === ids[0])!;
    body = <MediaDetails snapshot={snapshot} item={item} actions={actions} />;
  } else if (selection.kind === 'keys' && snapshot.cameraKeys.some((k) => ids.includes(k.id))) {
    body = (
      <>
        <KeyInspector snapshot={snapshot} keys={snapshot.cameraKeys.filter((k) => ids.includes(k.id))} actions={actions} onSeek={(t) => transport.seek(t)} />
        <CameraPathSection snapshot={snapshot} actions={actions} transport={transport} getCurrentView={getCurrentView} safeFrameAspect={safeFrameAspect} />
      </>
    );
  } else if (selection.kind === 'segments' && snapshot.timeWarp.some((s) => s.id === ids[0])) {
    body = <SegmentInspector snapshot={snapshot} segment={snapshot.timeWarp.find((s) => s.id === ids[0])!} actions={actions} />;
  } else if (selection.kind === 'clips' && snapshot.clips.some((c) => ids.includes(c.id))) {
    body = <ClipInspector snapshot={snapshot} clips={clipViews(snapshot).filter((c) => ids.includes(c.clip.id))} actions={actions} onSplit={onSplit} />;
  } else {
    body = (
      <>
        <CameraPathSection snapshot={snapshot} actions={actions} transport={transport} getCurrentView={getCurrentView} safeFrameAspect={safeFrameAspect} />
        <dl className="props">
          <Row label="Name">{snapshot.name}</Row>
          <Row label="Images">{images}</Row>
          <Row label="Audio">{snapshot.media.length - images}</Row>
          <Row label="Avatars">{snapshot.avatars.length}</Row>
          <Row label="Clips">{snapshot.clips.length}</Row>
          <Row label="File">
            <span className="path" title={snapshot.path}>
              {snapshot.path}
            </span>
          </Row>
          <Row label="Format">v{snapshot.schemaVersion}</Row>
        </dl>
        <p className="muted panel-hint">Select a media item, a clip, a camera key or a time-warp segment to edit it.</p>
      </>
    );
  }
  return (
    <aside className="panel inspector" aria-label="Inspector" data-testid="inspector">
      <header className="panel-header">
        <h2 className="panel-title">{TITLES[selection.kind]}</h2>
      </header>
      <div className="panel-body">{body}</div>
    </aside>
  );
}
