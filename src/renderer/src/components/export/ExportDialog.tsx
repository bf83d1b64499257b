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
import { defaultForm, exportOutputPath, formSize, formToRequest, unusedName, type ExportForm } from './export-form.ts';
import { ExportHistory } from './ExportHistory.tsx';
import { ExportProgressBar } from './ExportProgressBar.tsx';
import { ExportSettingsFields } from './ExportSettingsFields.tsx';
import { FORMAT_FACTS } from './export-formats.ts';
import '../../styles/export.css';

interface Props {
  snapshot: ProjectSnapshot;
  exporter: ExportState;
  /** The preview's safe-frame aspect now: the first size offered matches it. */
  safeFrameAspect: number;
  onFrameAspect: (aspect: number) => void;
  onClose: () => void;
}

/** The preset whose shape the safe frame already shows, else Full HD. */
function sizeForAspect(aspect: number): ExportForm['size'] {
  if (Math.abs(aspect - 9 / 16) < 1e-3) return 'vertical';
  if (Math.abs(aspect - 1) < 1e-3) return 'square';
  return '1080p';
}

export function ExportDialog({ snapshot, exporter, safeFrameAspect, onFrameAspect, onClose }: Props) {
  const { info } = useStudio();
  const usedPaths = useMemo(() => new Set(exporter.history.filter((r) => r.status === 'done').map((r) => r.outputPath)), [exporter.history]);
  const [form, setForm] = useState<ExportForm>(() => {
    if (exporter.lastForm) return exporter.lastForm;
    const size = sizeForAspect(safeFrameAspect);
    const base = defaultForm(unusedName(snapshot.name, 'mp4-h264', info.projectsDir, usedPaths));
    return size === base.size ? base : { ...base, size };
  });
  const [showErrors, setShowErrors] = useState(false);

  const result = useMemo(() => formToRequest(form), [form]);
  const errors = showErrors && !result.ok ? result.errors : {};
  const outputPath = exportOutputPath(info.projectsDir, form.name, form.format);
  const durationS = useMemo(() => contentEnd(snapshot), [snapshot]);
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
    if (!result.ok || running || !(durationS > 0)) return;
    void exporter.start(outputPath, result.request);
  };

  const ended = progress && !running ? progress.state : null;
  return (
    <Modal title="Export video" description="Renders every frame with the camera path, lips and background, and mixes the timeline's audio." onClose={onClose} testId="export-dialog" wide>
      <form className="form export-form" onSubmit={submit} onBlur={() => setShowErrors(true)} noValidate>
        <ExportSettingsFields form={form} errors={errors} images={images} disabled={running} onChange={change} />

        <div className="export-section">
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
          <p className="export-hint export-path" data-testid="export-path" title={outputPath}>
            Saves to {outputPath}
          </p>
          {usedPaths.has(outputPath) && !running && <p className="export-warning">An earlier export has this name; exporting replaces it.</p>}
          {errors.name && <InlineError message={errors.name} testId="export-error-name" />}
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
          <button type="submit" className="btn btn-primary" disabled={running || !(durationS > 0)} data-testid="export-start">
            <ExportIcon size={16} /> {running ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
      <ExportHistory records={exporter.history} />
    </Modal>
  );
}
