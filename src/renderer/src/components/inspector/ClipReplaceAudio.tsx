/**
 * "Replace audio…" for one selected clip: pick another audio item from the media bin and apply.
 * The clip keeps its place, track, gain and played length (timeline.replaceMedia); items shorter
 * than that length are listed but cannot be chosen, and the back end refuses them too.
 */
import { useState } from 'react';
import type { MediaItem } from '../../../../shared/project/types.ts';
import type { StudioActions } from '../../hooks/use-actions.ts';
import type { ClipView } from '../../state/editor-model.ts';
import { replacementChoices } from './replace-audio.ts';

interface Props {
  clip: ClipView;
  media: readonly MediaItem[];
  actions: Pick<StudioActions, 'replaceClipMedia'>;
}

export function ClipReplaceAudio({ clip, media, actions }: Props) {
  const choices = replacementChoices(media, { mediaId: clip.clip.mediaId, lengthS: clip.lengthS });
  const [picked, setPicked] = useState('');
  const chosen = choices.find((c) => c.id === picked && c.fits) ?? null;
  const apply = (): void => {
    if (!chosen) return;
    setPicked('');
    void actions.replaceClipMedia(clip.clip.id, chosen);
  };
  return (
    <section className="inspector-section" data-testid="clip-replace">
      <h3 className="section-title">Replace audio…</h3>
      {choices.length === 0 ? (
        <p className="muted">Import other audio into the media bin to replace this clip&apos;s audio with it.</p>
      ) : (
        <div className="preset-row">
          <label className="select-field">
            <span className="num-label">Audio from the bin</span>
            <select value={chosen ? picked : ''} onChange={(e) => setPicked(e.currentTarget.value)} data-testid="clip-replace-media">
              <option value="">Choose audio…</option>
              {choices.map((c) => (
                <option key={c.id} value={c.id} disabled={!c.fits}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-small" disabled={!chosen} onClick={apply} title="The clip keeps its start, length and gain" data-testid="clip-replace-apply">
            Replace
          </button>
        </div>
      )}
    </section>
  );
}
