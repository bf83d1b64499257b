/**
 * The centre stage. With an active avatar it shows the live 3D preview (SplatPreview), with the
 * portrait crop the avatar was built from as a small inset and what it is underneath; otherwise,
 * or while another image is selected, the portrait an avatar would be built from (the selected
 * image, else the newest one), or asks for one.
 *
 * Until the studio frame provides the playback transport and the preview's view settings, this
 * stage takes the transport from TransportContext when there is one (else a silent stand-in
 * clock) and keeps the preview mode and key selection itself.
 */
import type { KeyDragPatch } from '../../../../shared/camera/key-drag.ts';
import { useContext, useEffect, useMemo, type Ref } from 'react';
import type { Avatar, MediaItem, ProjectSnapshot } from '../../../../shared/project/types.ts';
import { formatCount } from '../../format/format.ts';
import { useThumbnail } from '../../hooks/use-thumbnail.ts';
import { TransportContext } from '../../playback/transport.ts';
import { createStandInTransport } from '../../preview/stand-in-transport.ts';
import { ImageIcon, ImportIcon, SpinnerIcon } from '../icons.tsx';
import { SplatPreview, type SplatPreviewHandle } from '../preview/SplatPreview.tsx';
import { AvatarCropImage } from './AvatarCropImage.tsx';

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

/** What the studio frame decides for the 3D view: camera mode, export frame, key selection. */
export interface PreviewViewProps {
  mode: 'path' | 'orbit';
  safeFrameAspect: number;
  selectedKeyIds: readonly string[];
  onSelectKeys(ids: string[]): void;
  /** A key's frustum was dragged in 3D to a new place. */
  onMoveKey(id: string, patch: KeyDragPatch): Promise<void>;
  previewRef?: Ref<SplatPreviewHandle>;
}

function ActiveAvatar({ avatar, portrait, snapshot, viewProps }: { avatar: Avatar; portrait: MediaItem | null; snapshot: ProjectSnapshot; viewProps: PreviewViewProps }) {
  const provided = useContext(TransportContext);
  const standIn = useMemo(() => (provided ? null : createStandInTransport()), [provided]);
  useEffect(() => () => standIn?.dispose(), [standIn]);
  const transport = provided ?? standIn!;
  const { mode, safeFrameAspect, selectedKeyIds, onSelectKeys, onMoveKey, previewRef } = viewProps;
  return (
    <figure className="preview-3d" data-testid="preview-avatar">
      <div className="preview-3d-stage">
        <SplatPreview
          ref={previewRef}
          snapshot={snapshot}
          transport={transport}
          mode={mode}
          safeFrameAspect={safeFrameAspect}
          selectedKeyIds={selectedKeyIds}
          onSelectKeys={onSelectKeys}
          onMoveKey={onMoveKey}
        />
        <div className="preview-3d-inset" title="The portrait crop the avatar was built from">
          <AvatarCropImage avatar={avatar} portrait={portrait} alt={`The portrait crop ${avatar.name} was built from`} />
        </div>
      </div>
      <figcaption className="preview-caption">
        <span className="preview-caption-name" data-testid="preview-avatar-caption">
          Avatar: {avatar.name} · {formatCount(avatar.splatCount)} splats · {avatar.modelName}
        </span>
        <span className="muted">{mode === 'orbit' ? 'Drag to orbit · right-drag to pan · wheel to dolly · drag a key\'s frustum to move it' : 'Looking through the camera path'}</span>
      </figcaption>
    </figure>
  );
}

export function Preview({ snapshot, selected, onImport, viewProps }: { snapshot: ProjectSnapshot; selected: MediaItem | null; onImport: () => void; viewProps: PreviewViewProps }) {
  const images = snapshot.media.filter((m) => m.kind === 'image');
  const avatar = snapshot.avatars.find((a) => a.id === snapshot.activeAvatarId) ?? null;
  // Selecting another image shows it as the source of a new avatar.
  const otherImage = selected?.kind === 'image' && selected.id !== avatar?.portraitMediaId;
  const portrait = selected?.kind === 'image' ? selected : images[images.length - 1];
  let stage;
  if (avatar && !otherImage) {
    stage = <ActiveAvatar key={avatar.id} avatar={avatar} snapshot={snapshot} viewProps={viewProps} portrait={snapshot.media.find((m) => m.id === avatar.portraitMediaId) ?? null} />;
  } else if (portrait) {
    stage = <Portrait key={portrait.id} item={portrait} />;
  } else {
    stage = (
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
    );
  }
  return (
    <section className="preview" aria-label="Preview" data-testid="preview">
      <div className="preview-stage">{stage}</div>
    </section>
  );
}
