/**
 * The square of the portrait an avatar was built from: the engine's own crop PNG when this
 * session generated the avatar, else the portrait's thumbnail cut to the avatar's crop square
 * (the project keeps no copy of the PNG).
 */
import type { CSSProperties } from 'react';
import type { Avatar, AvatarCrop, MediaItem } from '../../../../shared/project/types.ts';
import { useAvatarCrop } from '../../hooks/use-avatar-crop.ts';
import { useThumbnail } from '../../hooks/use-thumbnail.ts';
import { ImageIcon, SpinnerIcon } from '../icons.tsx';

interface Props {
  avatar: Avatar;
  /** The avatar's source image; null once it was removed from the project. */
  portrait: MediaItem | null;
  alt: string;
}

export function AvatarCropImage({ avatar, portrait, alt }: Props) {
  const engineCrop = useAvatarCrop(avatar);
  if (engineCrop) {
    return (
      <span className="avatar-crop">
        <img className="avatar-crop-png" src={engineCrop} alt={alt} draggable={false} data-testid="avatar-crop-image" data-source="engine" />
      </span>
    );
  }
  if (portrait) return <PortraitCut portrait={portrait} crop={avatar.crop} alt={alt} />;
  return (
    <span className="avatar-crop avatar-crop-empty" title="The portrait is no longer in the project">
      <ImageIcon size={24} />
    </span>
  );
}

function PortraitCut({ portrait, crop, alt }: { portrait: MediaItem; crop: AvatarCrop; alt: string }) {
  const thumb = useThumbnail(portrait.id, portrait.sha256);
  if (thumb.status !== 'ready' || portrait.width === null) {
    return <span className="avatar-crop avatar-crop-empty">{thumb.status === 'loading' ? <SpinnerIcon /> : <ImageIcon size={24} />}</span>;
  }
  // In fractions of the square's side, so the cut is the same whatever size the thumbnail has.
  // The square may reach past the image edges, as the engine's crop does.
  const percent = (source: number): string => `${(source / crop.size) * 100}%`;
  const placement: CSSProperties = { width: percent(portrait.width), left: percent(-crop.x), top: percent(-crop.y) };
  return (
    <span className="avatar-crop" role="img" aria-label={alt} data-testid="avatar-crop-image" data-source="portrait">
      <img className="avatar-crop-cut" src={thumb.url} alt="" draggable={false} style={placement} />
    </span>
  );
}
