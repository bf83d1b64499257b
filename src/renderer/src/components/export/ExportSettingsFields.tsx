/**
 * The export dialog's choices: frame size (presets or custom), frame rate, format, quality and
 * background. Choices a format cannot use stay visible but disabled, with the reason beside them.
 */
import { EXPORT_FORMATS, EXPORT_FPS, EXPORT_PRESETS, type ExportFormat } from '../../../../shared/api/contract.ts';
import type { MediaItem } from '../../../../shared/project/types.ts';
import { InlineError } from '../InlineError.tsx';
import type { BackgroundChoice, ExportForm, FormErrors } from './export-form.ts';
import { FORMAT_FACTS, hasAlpha, hasQualitySetting, needsEvenSize, PRESET_LABELS, PRESET_ORDER } from './export-formats.ts';

interface Props {
  form: ExportForm;
  errors: FormErrors;
  images: readonly MediaItem[];
  disabled: boolean;
  onChange: (patch: Partial<ExportForm>) => void;
}

const BACKGROUNDS: readonly { value: BackgroundChoice; label: string }[] = [
  { value: 'predicted', label: 'Predicted' },
  { value: 'color', label: 'Colour' },
  { value: 'image', label: 'Image' },
  { value: 'transparent', label: 'Transparent' },
];

/** The preset's shape, fitted into a 36 x 24 px box. */
function glyphSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(36 / width, 24 / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** The custom size's width or height box, in pixels. */
function PixelInput({ side, form, invalid, onChange }: { side: 'width' | 'height'; form: ExportForm; invalid: boolean; onChange: Props['onChange'] }) {
  return (
    <input
      className="input"
      inputMode="numeric"
      aria-label={`${side === 'width' ? 'Width' : 'Height'} in pixels`}
      value={form[side]}
      onChange={(e) => onChange({ [side]: e.currentTarget.value })}
      aria-invalid={invalid}
      data-testid={`export-${side}`}
    />
  );
}

export function ExportSettingsFields({ form, errors, images, disabled, onChange }: Props) {
  const facts = FORMAT_FACTS[form.format];
  const alpha = hasAlpha(form.format);
  const qualityOn = hasQualitySetting(form.format);
  const chooseFormat = (format: ExportFormat): void => {
    // A CRF typed for one codec rarely suits another (x264 0..51, VP9 0..63): start from the new default.
    const crf = FORMAT_FACTS[format].defaultCrf;
    onChange({ format, ...(crf !== null && form.quality !== 'crf' ? { crf: String(crf) } : {}) });
  };

  return (
    <fieldset className="export-fields" disabled={disabled}>
      <div className="export-section">
        <span className="field-label">Frame size</span>
        <div className="export-sizes" role="radiogroup" aria-label="Frame size" data-testid="export-size">
          {PRESET_ORDER.map((preset) => {
            const { width, height } = EXPORT_PRESETS[preset];
            return (
              <button
                key={preset}
                type="button"
                role="radio"
                aria-checked={form.size === preset}
                className={`export-size ${form.size === preset ? 'is-on' : ''}`}
                onClick={() => onChange({ size: preset, width: String(width), height: String(height) })}
                data-testid={`export-size-${preset}`}
              >
                <span className="export-size-box" aria-hidden="true">
                  <span className="export-size-glyph" style={glyphSize(width, height)} />
                </span>
                <span className="export-size-name">{PRESET_LABELS[preset]}</span>
                <span className="export-size-px">
                  {width}×{height}
                </span>
              </button>
            );
          })}
          <button
            type="button"
            role="radio"
            aria-checked={form.size === 'custom'}
            className={`export-size ${form.size === 'custom' ? 'is-on' : ''}`}
            onClick={() => onChange({ size: 'custom' })}
            data-testid="export-size-custom"
          >
            <span className="export-size-box" aria-hidden="true">
              <span className="export-size-glyph export-size-glyph-custom" />
            </span>
            <span className="export-size-name">Custom</span>
            <span className="export-size-px">W×H</span>
          </button>
        </div>
        {form.size === 'custom' && (
          <div className="export-custom">
            <PixelInput side="width" form={form} invalid={errors.size !== undefined} onChange={onChange} />
            <span className="muted">×</span>
            <PixelInput side="height" form={form} invalid={errors.size !== undefined} onChange={onChange} />
            <span className="muted">px{needsEvenSize(form.format) ? ' · even sizes for this format' : ''}</span>
          </div>
        )}
        {errors.size && <InlineError message={errors.size} testId="export-error-size" />}
      </div>

      <div className="export-row">
        <label className="field">
          <span className="field-label">Frame rate</span>
          <select className="input" value={form.fps} onChange={(e) => onChange({ fps: Number(e.currentTarget.value) as ExportForm['fps'] })} data-testid="export-fps">
            {EXPORT_FPS.map((fps) => (
              <option key={fps} value={fps}>
                {fps} fps
              </option>
            ))}
          </select>
        </label>
        <label className="field export-format">
          <span className="field-label">Format</span>
          <select className="input" value={form.format} onChange={(e) => chooseFormat(e.currentTarget.value as ExportFormat)} data-testid="export-format">
            {EXPORT_FORMATS.map((format) => (
              <option key={format} value={format}>
                {FORMAT_FACTS[format].label}
              </option>
            ))}
          </select>
          <span className="export-hint">{facts.hint}</span>
        </label>
      </div>

      <div className="export-columns">
        <div className="export-section">
          <span className="field-label">Quality</span>
          {qualityOn ? (
            <div className="export-choices" role="radiogroup" aria-label="Quality">
              <label className="radio-row">
                <input type="radio" name="export-quality" checked={form.quality === 'default'} onChange={() => onChange({ quality: 'default' })} data-testid="export-quality-default" />
                <span>Recommended (CRF {facts.defaultCrf})</span>
              </label>
              <label className="radio-row">
                <input type="radio" name="export-quality" checked={form.quality === 'crf'} onChange={() => onChange({ quality: 'crf' })} data-testid="export-quality-crf" />
                <span title="Lower is better quality and a larger file">Constant quality, CRF</span>
                <input
                  className="input input-inline export-number"
                  inputMode="numeric"
                  aria-label="CRF"
                  value={form.crf}
                  disabled={form.quality !== 'crf'}
                  onChange={(e) => onChange({ crf: e.currentTarget.value })}
                  data-testid="export-crf"
                />
              </label>
              <label className="radio-row">
                <input type="radio" name="export-quality" checked={form.quality === 'bitrate'} onChange={() => onChange({ quality: 'bitrate' })} data-testid="export-quality-bitrate" />
                <span>Bitrate</span>
                <input
                  className="input input-inline export-number"
                  inputMode="numeric"
                  aria-label="Bitrate in kbit/s"
                  value={form.kbps}
                  disabled={form.quality !== 'bitrate'}
                  onChange={(e) => onChange({ kbps: e.currentTarget.value })}
                  data-testid="export-kbps"
                />
                <span className="muted">kbit/s</span>
              </label>
            </div>
          ) : (
            <p className="export-hint">{form.format === 'png-sequence' ? 'PNG is lossless.' : 'ProRes 4444 has a fixed, visually lossless quality.'}</p>
          )}
          {errors.quality && <InlineError message={errors.quality} testId="export-error-quality" />}
        </div>

        <div className="export-section">
          <span className="field-label">Background</span>
          <div className="segmented segmented-wide" role="radiogroup" aria-label="Background" data-testid="export-background">
            {BACKGROUNDS.map(({ value, label }) => {
              const reason = value === 'transparent' && !alpha ? `${facts.label} has no alpha channel: choose ProRes 4444 or PNG sequence for transparency` : value === 'image' && images.length === 0 ? 'Import an image into the media bin first' : null;
              return (
                <button
                  key={value}
                  type="button"
                  role="radio"
                  aria-checked={form.background === value}
                  className={form.background === value ? 'is-on' : ''}
                  disabled={reason !== null && form.background !== value}
                  title={reason ?? undefined}
                  onClick={() => onChange({ background: value })}
                  data-testid={`export-background-${value}`}
                >
                  {label}
                </button>
              );
            })}
          </div>
          {form.background === 'color' && (
            <label className="export-inline">
              <input type="color" value={form.color} onChange={(e) => onChange({ color: e.currentTarget.value })} aria-label="Background colour" data-testid="export-color" />
              <span className="muted">{form.color}</span>
            </label>
          )}
          {form.background === 'image' && (
            <select className="input" value={form.imageMediaId ?? ''} onChange={(e) => onChange({ imageMediaId: e.currentTarget.value || null })} aria-label="Background image" data-testid="export-image">
              <option value="">Choose an image…</option>
              {images.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          )}
          {!alpha && form.background !== 'transparent' && <p className="export-hint">Transparent needs ProRes 4444 or PNG sequence (alpha).</p>}
          {errors.background && <InlineError message={errors.background} testId="export-error-background" />}
        </div>
      </div>
    </fieldset>
  );
}
