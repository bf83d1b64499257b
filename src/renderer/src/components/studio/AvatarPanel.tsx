/**
 * The inspector's avatar section for a selected image: build the avatar from it (or rebuild the
 * active one it made), then what the engine made of it and a PLY export. Failures such as "no
 * face" show next to the button, worded as the back end wrote them.
 */
import { useState } from 'react';
import type { Avatar, MediaItem } from '../../../../shared/project/types.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import { errorMessage } from '../../state/errors.ts';
import { InlineError } from '../InlineError.tsx';
import { ExportIcon, HeadIcon, SpinnerIcon } from '../icons.tsx';
import { AvatarCropImage } from './AvatarCropImage.tsx';
import { AvatarFacts } from './AvatarFacts.tsx';

interface Props {
  portrait: MediaItem;
  /** The active avatar when this image made it, else null. */
  avatar: Avatar | null;
  actions: Pick<StudioActions, 'createAvatar' | 'regenerateAvatar' | 'exportAvatarPly'>;
}

export function AvatarPanel({ portrait, avatar, actions }: Props) {
  const [building, setBuilding] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const build = async (): Promise<void> => {
    setBuilding(true);
    setError(null);
    try {
      await (avatar ? actions.regenerateAvatar(avatar) : actions.createAvatar(portrait));
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBuilding(false);
    }
  };

  const exportPly = async (target: Avatar): Promise<void> => {
    setExporting(true);
    try {
      await actions.exportAvatarPly(target);
    } finally {
      setExporting(false);
    }
  };

  const idleLabel = avatar ? 'Regenerate avatar' : 'Create avatar';
  return (
    <section className="inspector-section" aria-labelledby="avatar-section-title" data-testid="avatar-panel">
      <h3 className="section-title" id="avatar-section-title">
        Avatar
      </h3>
      {avatar ? (
        <>
          <AvatarCropImage avatar={avatar} portrait={portrait} alt={`The crop of ${portrait.name} the avatar was built from`} />
          <AvatarFacts avatar={avatar} />
        </>
      ) : (
        <p className="muted">Build a 3D head from this portrait. It becomes the avatar the speech on the timeline drives.</p>
      )}
      <div className="section-actions">
        <button
          type="button"
          className={`btn ${avatar ? '' : 'btn-primary'}`}
          onClick={() => void build()}
          disabled={building}
          aria-busy={building}
          data-testid="avatar-create"
        >
          {building ? <SpinnerIcon /> : <HeadIcon />}
          {building ? (avatar ? 'Regenerating…' : 'Creating avatar…') : idleLabel}
        </button>
        {avatar && (
          <button
            type="button"
            className="btn"
            onClick={() => void exportPly(avatar)}
            disabled={exporting || building}
            title="Save the avatar as a 3D Gaussian splat PLY file, for other splat tools"
            data-testid="avatar-export-ply"
          >
            {exporting ? <SpinnerIcon /> : <ExportIcon />} Export PLY
          </button>
        )}
      </div>
      {error && <InlineError message={error} testId="avatar-error" />}
    </section>
  );
}
