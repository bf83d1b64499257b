/**
 * The export dialog (issue 7, item 5): size, frame rate, format, quality, background and file
 * name, checked by the contract's schema before anything is sent; an estimate of the video's
 * length; then progress with Cancel, a readable error on failure, and the project's history.
 * Changing the size moves the preview's safe frame to the same aspect ratio. Without a native
 * save dialog the file goes to the project library's Exports folder, the one place the studio
 * may write unasked (src/main/api/path-access.ts).
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { ProjectSnapshot } from '../../../../shared/project/types.ts';
import type { ExportState } from '../../hooks/use-export.ts';
import { contentEnd } from '../../state/editor-model.ts';
import { useStudio } from '../../state/studio-context.ts';
import { ExportIcon } from '../icons.tsx';
import { InlineError } from '../InlineError.tsx';
import { Modal } from '../Modal.tsx';
import { estimateLine, frameAspect } from './export-estimate.ts';
import { defaultForm, exportOutputPath, formSize, formToRequest, unusedName, withFormatExtension, type ExportForm } from './export-form.ts';
import { ExportHistory } from './ExportHistory.tsx';
import { ExportProgressBar } from './ExportProgressBar.tsx';
import { ExportRangeFields } from './ExportRangeFields.tsx';
import { resolveRange, type TimeSpan } from './export-range.ts';
import { ExportSettingsFields } from './ExportSettingsFields.tsx';
import { FORMAT_FACTS } from './export-formats.ts';
import '../../styles/export.css';

interface Props {
  snapshot: ProjectSnapshot;
  exporter: ExportState;
  /** The preview's safe-frame aspect now: the first size offered matches it. */
  safeFrameAspect: number;
  /** The timeline's I/O marks, offered as a range. */
  marks: TimeSpan | null;
  onFrameAspect: (aspect: number) => void;
  onClose: () => void;
}

/** The preset whose shape the safe frame already shows, else Full HD. */
function sizeForAspect(aspect: number): ExportForm['size'] {
  if (Math.abs(aspect - 9 / 16) < 1e-3) return 'vertical';
  if (Math.abs(aspect - 1) < 1e-3) return 'square';
  return '1080p';
}

export function ExportDialog({ snapshot, exporter, safeFrameAspect, marks, onFrameAspect, onClose }: Props) {
  const { info, client } = useStudio();
  const usedPaths = useMemo(() => new Set(exporter.history.filter((r) => r.status === 'done').map((r) => r.outputPath)), [exporter.history]);
  const [form, setForm] = useState<ExportForm>(() => {
    if (exporter.lastForm) return exporter.lastForm;
    const size = sizeForAspect(safeFrameAspect);
    const base = defaultForm(unusedName(snapshot.name, 'mp4-h264', info.projectsDir, usedPaths));
    return size === base.size ? base : { ...base, size };
  });
  const [showErrors, setShowErrors] = useState(false);

  const projectEndS = useMemo(() => contentEnd(snapshot), [snapshot]);
  const timeline = useMemo(() => ({ projectEndS, marks }), [projectEndS, marks]);
  const result = useMemo(() => formToRequest(form, timeline), [form, timeline]);
  const errors = showErrors && !result.ok ? result.errors : {};
  const outputPath = form.chosenPath ? withFormatExtension(form.chosenPath, form.format) : exportOutputPath(info.projectsDir, form.name, form.format);
  const [pickError, setPickError] = useState<string | null>(null);
  const choosePath = async (): Promise<void> => {
    setPickError(null);
    try {
      const path = await client.call('dialog.chooseExportPath', { suggestedName: form.name.trim() || snapshot.name, format: form.format });
      if (path) change({ chosenPath: path });
    } catch (error) {
      setPickError(error instanceof Error ? error.message : String(error));
    }
  };
  const span = resolveRange(form.range, form.fromS, form.toS, timeline);
  const durationS = span.ok ? span.durationS : projectEndS;
  const images = useMemo(() => snapshot.media.filter((m) => m.kind === 'image'), [snapshot.media]);
  const { running, progress } = exporter;

  const change = (patch: Partial<ExportForm>): void => {
    const next = { ...form, ...patch };
    setForm(next);
    exporter.rememberForm(next);
    if ('size' in patch || 'width' in patch || 'height' in patch) {
      const size = formSize(next);
      const aspect = size ? frameAspect(size.width, size.height) : null;
      if (aspect !== null) onFrameAspect(aspect);
    }
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setShowErrors(true);
    if (!result.ok || running || !(projectEndS > 0)) return;
    void exporter.start(outputPath, result.request);
  };

  const ended = progress && !running ? progress.state : null;
  return (
    <Modal title="Export video" description="Renders every frame with the camera path, lips and background, and mixes the timeline's audio." onClose={onClose} testId="export-dialog" wide>
      <form className="form export-form" onSubmit={submit} onBlur={() => setShowErrors(true)} noValidate>
        <ExportSettingsFields form={form} errors={errors} images={images} disabled={running} onChange={change} />
        <ExportRangeFields form={form} timeline={timeline} error={errors.range} disabled={running} onChange={change} />

        <div className="export-section">
          {form.chosenPath === null && (
          <label className="field">
            <span className="field-label">File name</span>
            <div className="export-name">
              <input
                className="input"
                value={form.name}
                maxLength={100}
                disabled={running}
                onChange={(e) => change({ name: e.currentTarget.value })}
                aria-invalid={errors.name !== undefined}
                data-testid="export-name"
              />
              <span className="export-ext">{FORMAT_FACTS[form.format].extension || '/ (folder)'}</span>
            </div>
          </label>
          )}
          <div className="export-path-row">
            <p className="export-hint export-path" data-testid="export-path" title={outputPath}>
              Saves to {outputPath}
            </p>
            {info.nativeDialogs && (
              <button type="button" className="btn btn-small" disabled={running} onClick={() => void choosePath()} data-testid="export-choose-path">
                Choose…
              </button>
            )}
            {form.chosenPath !== null && (
              <button type="button" className="btn btn-small" disabled={running} onClick={() => change({ chosenPath: null })} data-testid="export-library-path">
                Save in the library
              </button>
            )}
          </div>
          {pickError && <InlineError message={`Could not choose where to save: ${pickError}`} testId="export-error-pick" />}
          {usedPaths.has(outputPath) && !running && <p className="export-warning">An earlier export has this name; exporting replaces it.</p>}
          {errors.name && form.chosenPath === null && <InlineError message={errors.name} testId="export-error-name" />}
        </div>

        <p className="export-estimate" data-testid="export-estimate">
          {estimateLine(durationS, form.fps)}
        </p>

        {errors.general && <InlineError message={errors.general} testId="export-error-general" />}
        {(running || progress) && <ExportProgressBar progress={progress} running={running} onCancel={exporter.cancel} />}
        {exporter.error && !running && <InlineError message={`The export failed: ${exporter.error}`} testId="export-error" />}
        {ended === 'done' && progress && (
          <p className="export-done" data-testid="export-done">
            Saved to {progress.outputPath}
          </p>
        )}

        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="export-close">
            {running ? 'Hide' : 'Close'}
          </button>
          <button type="submit" className="btn btn-primary" disabled={running || !(projectEndS > 0)} data-testid="export-start">
            <ExportIcon size={16} /> {running ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
      <ExportHistory records={exporter.history} />
    </Modal>
  );
}
