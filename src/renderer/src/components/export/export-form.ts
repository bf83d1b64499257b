/**
 * The export dialog's form as plain data, and its one way into the API: `formToRequest` reads the
 * text fields, then lets the contract's own schema (exportSettingsInput) judge the settings, so
 * the dialog refuses exactly what the back end and the CLI refuse. Messages name the field and
 * what it needs; the schema's rules that span fields (even sizes, alpha, CRF range) keep its words.
 */
import type { z } from 'zod';
import { EXPORT_PRESETS, exportSettingsInput, type ApiInput, type ExportFormat, type ExportPreset, type ExportSettings } from '../../../../shared/api/contract.ts';
import { FORMAT_FACTS, hasQualitySetting } from './export-formats.ts';
import { resolveRange, type RangeChoice, type RangeContext } from './export-range.ts';
import { EXPORT_FOLDER, stripExtension } from '../../../../shared/export/export-paths.ts';

export type ExportFps = ExportSettings['fps'];
export type BackgroundChoice = 'predicted' | 'color' | 'image' | 'transparent';

export interface ExportForm {
  size: ExportPreset | 'custom';
  /** Custom size as typed, pixels. */
  width: string;
  height: string;
  fps: ExportFps;
  format: ExportFormat;
  /** 'default': the codec's own constant quality. */
  quality: 'default' | 'crf' | 'bitrate';
  crf: string;
  kbps: string;
  background: BackgroundChoice;
  color: string;
  /** An image of the media bin, for background 'image'. */
  imageMediaId: string | null;
  /** File name without extension, in the export folder. */
  name: string;
  /** Which part of the timeline; fromS/toS as typed, for 'custom'. */
  range: RangeChoice;
  fromS: string;
  toS: string;
  /** A path picked in the desktop app's save dialog; null: `name` in the library's Exports folder. */
  chosenPath: string | null;
}

export function defaultForm(name: string): ExportForm {
  return {
    size: '1080p',
    width: '1920',
    height: '1080',
    fps: 25,
    format: 'mp4-h264',
    quality: 'default',
    crf: String(FORMAT_FACTS['mp4-h264'].defaultCrf),
    kbps: '8000',
    background: 'predicted',
    color: '#20242c',
    imageMediaId: null,
    name,
    range: 'all',
    fromS: '0',
    toS: '',
    chosenPath: null,
  };
}

/** Where each message shows: next to its field, or above the Export button. */
export type FormField = 'size' | 'quality' | 'background' | 'range' | 'name' | 'general';
export type FormErrors = Partial<Record<FormField, string>>;

export type ExportRequest = Omit<ApiInput<'export.start'>, 'outputPath'> & { settings: ExportSettings };

export type FormResult = { ok: true; request: ExportRequest } | { ok: false; errors: FormErrors };

/** The frame size the form asks for, or null while a custom field is not a number yet. */
export function formSize(form: Pick<ExportForm, 'size' | 'width' | 'height'>): { width: number; height: number } | null {
  if (form.size !== 'custom') return EXPORT_PRESETS[form.size];
  const width = Number(form.width.trim());
  const height = Number(form.height.trim());
  return form.width.trim() && form.height.trim() && Number.isFinite(width) && Number.isFinite(height) ? { width, height } : null;
}

/** A whole number from a text field, or a message saying what the field needs. */
function wholeNumber(text: string, label: string, unit: string): number | string {
  const trimmed = text.trim();
  if (!trimmed) return `Enter the ${label.toLowerCase()} in ${unit}.`;
  const value = Number(trimmed);
  if (!Number.isFinite(value) || !Number.isInteger(value)) return `${label} must be a whole number of ${unit}; got "${trimmed}".`;
  return value;
}

const FIELD_LABELS: Record<string, string> = { width: 'Width', height: 'Height', crf: 'CRF', kbps: 'Bitrate', color: 'Colour' };

/** One schema issue as a sentence; range issues use the schema's bound with the field's name. */
function issueMessage(issue: z.core.$ZodIssue): string {
  const key = [...issue.path].reverse().find((p) => typeof p === 'string' && p in FIELD_LABELS) as string | undefined;
  const label = key ? FIELD_LABELS[key]! : null;
  const unit = key === 'width' || key === 'height' ? ' px' : key === 'kbps' ? ' kbit/s' : '';
  if (label && issue.code === 'too_small') return `${label} must be at least ${String(issue.minimum)}${unit}.`;
  if (label && issue.code === 'too_big') return `${label} must be at most ${String(issue.maximum)}${unit}.`;
  return label && !issue.message.startsWith(label) ? `${label}: ${issue.message}` : issue.message;
}

/** Which field a schema issue belongs to. Path-less issues are the schema's cross-field rules. */
function issueField(issue: z.core.$ZodIssue, settings: ExportSettings): FormField {
  const head = issue.path[0];
  if (head === 'width' || head === 'height') return 'size';
  if (head === 'quality') return 'quality';
  if (head === 'background') return 'background';
  if (head === 'range') return 'range';
  if (head === undefined) {
    // The refinements each concern one field's value given the format (contract.ts superRefine).
    if (settings.background.kind === 'transparent' && /alpha/i.test(issue.message)) return 'background';
    if (/CRF/.test(issue.message)) return 'quality';
    if (/width and height/.test(issue.message)) return 'size';
    if (/range/.test(issue.message)) return 'range';
  }
  return 'general';
}

/** Without a timeline to judge against, every range up to any end is accepted (tests of other fields). */
const UNBOUNDED: RangeContext = { projectEndS: Number.POSITIVE_INFINITY, marks: null };

/** Turns the form into export.start's input (without the output path), or says what to fix. */
export function formToRequest(form: ExportForm, timeline: RangeContext = UNBOUNDED): FormResult {
  const errors: FormErrors = {};
  let width = 0;
  let height = 0;
  if (form.size === 'custom') {
    const w = wholeNumber(form.width, 'Width', 'pixels');
    const h = wholeNumber(form.height, 'Height', 'pixels');
    if (typeof w === 'string') errors.size = w;
    else if (typeof h === 'string') errors.size = h;
    else [width, height] = [w, h];
  } else {
    ({ width, height } = EXPORT_PRESETS[form.size]);
  }

  let quality: ExportSettings['quality'];
  if (hasQualitySetting(form.format) && form.quality === 'crf') {
    const crf = wholeNumber(form.crf, 'CRF', 'steps');
    if (typeof crf === 'string') errors.quality = crf;
    else quality = { mode: 'crf', crf };
  } else if (hasQualitySetting(form.format) && form.quality === 'bitrate') {
    const kbps = wholeNumber(form.kbps, 'Bitrate', 'kbit/s');
    if (typeof kbps === 'string') errors.quality = kbps;
    else quality = { mode: 'bitrate', kbps };
  }

  let background: ExportSettings['background'];
  if (form.background === 'image') {
    if (!form.imageMediaId) errors.background = 'Choose an image from the media bin for the background.';
    // The back end swaps in the image's file (backgroundMediaId); this stands in until then.
    background = { kind: 'predicted' };
  } else if (form.background === 'color') {
    background = { kind: 'color', color: form.color };
  } else {
    background = { kind: form.background };
  }

  const span = resolveRange(form.range, form.fromS, form.toS, timeline);
  if (!span.ok) errors.range = span.error;

  if (form.chosenPath === null && !exportStem(form.name)) errors.name = 'Give the export a file name.';
  if (Object.keys(errors).length > 0 || !span.ok) return { ok: false, errors };

  const range = span.range ? { range: span.range } : {};
  const candidate = { width, height, fps: form.fps, format: form.format, background, ...(quality ? { quality } : {}), ...range };
  const parsed = exportSettingsInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issueField(issue, candidate as ExportSettings);
      errors[field] ??= issueMessage(issue);
    }
    return { ok: false, errors };
  }
  const request: ExportRequest = { settings: parsed.data, createFolder: true };
  if (form.background === 'image' && form.imageMediaId) request.backgroundMediaId = form.imageMediaId;
  return { ok: true, request };
}

/**
 * A name as a file name: characters no file system accepts become '-', leading and trailing dots
 * and spaces go, at most 100 characters, and an extension the format adds anyway is dropped.
 * The same rule as project file names (src/main/api/studio.ts projectFileStem). '' when nothing is left.
 */
export function exportStem(name: string, format?: ExportFormat): string {
  let stem = name
    // eslint-disable-next-line no-control-regex
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '-')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  const extension = format ? FORMAT_FACTS[format].extension : '';
  if (extension && stem.toLowerCase().endsWith(extension)) stem = stem.slice(0, -extension.length).replace(/[.\s]+$/g, '');
  return stem;
}

/** The default output: `<library>/Exports/<name><extension>`, in the library's own separator style. */
export function exportOutputPath(projectsDir: string, name: string, format: ExportFormat): string {
  const sep = projectsDir.includes('\\') && !projectsDir.includes('/') ? '\\' : '/';
  const folder = projectsDir.endsWith(sep) ? projectsDir.slice(0, -1) : projectsDir;
  return `${folder}${sep}${EXPORT_FOLDER}${sep}${exportStem(name, format)}${FORMAT_FACTS[format].extension}`;
}

/** A picked path with the format's extension in place of another format's (a folder for PNG). */
export function withFormatExtension(path: string, format: ExportFormat): string {
  return `${stripExtension(path, Object.values(FORMAT_FACTS).map((f) => f.extension))}${FORMAT_FACTS[format].extension}`;
}

/** A name not yet used by an earlier export: "Demo", "Demo 2", "Demo 3", ... */
export function unusedName(base: string, format: ExportFormat, projectsDir: string, usedPaths: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base} ${n}`;
    if (!usedPaths.has(exportOutputPath(projectsDir, name, format))) return name;
  }
}
