/**
 * What the export dialog says about each format and size choice. The container facts (file
 * extension, default CRF) have a twin in src/main/export/ffmpeg-args.ts FORMAT_INFO, which the
 * renderer cannot import (it runs ffmpeg); test/unit/renderer/export-form.test.ts checks both agree.
 */
import { ALPHA_FORMATS, CRF_RANGE, EXPORT_PRESETS, YUV420_FORMATS, type ExportFormat, type ExportPreset } from '../../../../shared/api/contract.ts';

export interface FormatFacts {
  label: string;
  /** What the creator gets, in a few words. */
  hint: string;
  /** Output file extension, '' for png-sequence (a folder). Twin: FORMAT_INFO[format].extension. */
  extension: string;
  /** The codec's constant quality when none is asked. Twin: FORMAT_INFO[format].defaultCrf. */
  defaultCrf: number | null;
}

export const FORMAT_FACTS: Record<ExportFormat, FormatFacts> = {
  'mp4-h264': { label: 'MP4 · H.264', hint: 'Plays everywhere; AAC 48 kHz audio, fast start', extension: '.mp4', defaultCrf: 18 },
  'mp4-h265': { label: 'MP4 · H.265', hint: 'Smaller files at the same quality; newer players', extension: '.mp4', defaultCrf: 22 },
  'webm-vp9': { label: 'WebM · VP9', hint: 'For the web; Opus audio', extension: '.webm', defaultCrf: 31 },
  'mov-prores4444': { label: 'MOV · ProRes 4444', hint: 'Alpha channel, for editing; large files', extension: '.mov', defaultCrf: null },
  'png-sequence': { label: 'PNG sequence', hint: 'A folder of frames with alpha, plus audio.wav', extension: '', defaultCrf: null },
};

export const hasAlpha = (format: ExportFormat): boolean => ALPHA_FORMATS.includes(format);
export const needsEvenSize = (format: ExportFormat): boolean => YUV420_FORMATS.includes(format);
/** ProRes and PNG have fixed quality (contract: "ProRes and PNG ignore it"). */
export const hasQualitySetting = (format: ExportFormat): boolean => CRF_RANGE[format] !== undefined;

export const PRESET_LABELS: Record<ExportPreset, string> = {
  '720p': 'HD 720p',
  '1080p': 'Full HD 1080p',
  '4k': '4K UHD',
  vertical: 'Vertical',
  square: 'Square',
};

export const PRESET_ORDER = Object.keys(EXPORT_PRESETS) as ExportPreset[];
