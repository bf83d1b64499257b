/**
 * The evaluation's tables: per clip and on average (the mean over clips of each clip's figure,
 * so a long clip does not outweigh a short one), the model beside both baselines and the real
 * video's own lip-sync figures, as plain text for the terminal, Markdown for the results file,
 * and the `metrics` block of model.json.
 */
import { METHODS, type ClipEvaluation, type LipSyncFigures, type MethodName } from './eval-clip.ts';
import { meanOrNull } from './metrics/identity.ts';

export interface PackIdentity {
  name: string;
  version: number;
  created: string | null;
  dir: string;
}

export interface EvalSettings {
  dataset: string;
  split: string;
  stride: number;
  maxFrames: number | null;
  size: number;
}

/** One row of figures: a method, or the real video (image metrics empty). */
export interface Figures {
  psnr: number | null;
  ssim: number | null;
  csim: number | null;
  lipsync: LipSyncFigures;
  novelViewCsim: number | null;
}

export interface EvalSummary {
  pack: PackIdentity;
  settings: EvalSettings;
  clips: { clip: string; frames: number; silentFrames: number; seconds: number; rows: Record<RowName, Figures> }[];
  average: Record<RowName, Figures>;
  frames: number;
}

export const ROWS = ['real', ...METHODS] as const;
export type RowName = (typeof ROWS)[number];

export function rowLabel(row: RowName, pack: PackIdentity): string {
  switch (row) {
    case 'real':
      return 'real video (reference)';
    case 'repeat_source':
      return 'baseline: repeat source frame';
    case 'static_only':
      return 'baseline: static avatar';
    case 'model':
      return `model: ${pack.name} v${pack.version}`;
  }
}

function rowsOf(c: ClipEvaluation): Record<RowName, Figures> {
  const method = (m: MethodName): Figures => {
    const f = c.methods[m];
    return { psnr: f.psnr, ssim: f.ssim, csim: f.csim, lipsync: f.lipsync, novelViewCsim: f.novelViewCsim };
  };
  return {
    real: { psnr: null, ssim: null, csim: c.real.csim, lipsync: c.real.lipsync, novelViewCsim: null },
    repeat_source: method('repeat_source'),
    static_only: method('static_only'),
    model: method('model'),
  };
}

function averageOf(rows: readonly Figures[]): Figures {
  const m = (pick: (f: Figures) => number | null): number | null => meanOrNull(rows.map(pick));
  return {
    psnr: m((f) => f.psnr),
    ssim: m((f) => f.ssim),
    csim: m((f) => f.csim),
    lipsync: {
      correlation: m((f) => f.lipsync.correlation),
      lagFrames: m((f) => (f.lipsync.correlation === null ? null : f.lipsync.lagFrames)) ?? 0,
      closedInSilence: m((f) => f.lipsync.closedInSilence),
    },
    novelViewCsim: m((f) => f.novelViewCsim),
  };
}

export function summarise(pack: PackIdentity, settings: EvalSettings, clips: readonly ClipEvaluation[]): EvalSummary {
  const perClip = clips.map((c) => ({ clip: c.clip, frames: c.frames, silentFrames: c.silentFrames, seconds: c.seconds, rows: rowsOf(c) }));
  const average = Object.fromEntries(ROWS.map((row) => [row, averageOf(perClip.map((c) => c.rows[row]))])) as Record<RowName, Figures>;
  return { pack, settings, clips: perClip, average, frames: clips.reduce((s, c) => s + c.frames, 0) };
}

const COLUMNS = ['PSNR dB', 'SSIM', 'CSIM', 'sync r', 'lag', 'closed@silence', 'CSIM ±30°'] as const;

function cells(f: Figures): string[] {
  const fix = (v: number | null, d: number): string => (v === null ? '—' : v.toFixed(d));
  return [
    fix(f.psnr, 2),
    fix(f.ssim, 3),
    fix(f.csim, 3),
    fix(f.lipsync.correlation, 3),
    f.lipsync.correlation === null ? '—' : f.lipsync.lagFrames.toFixed(Number.isInteger(f.lipsync.lagFrames) ? 0 : 1),
    fix(f.lipsync.closedInSilence, 2),
    fix(f.novelViewCsim, 3),
  ];
}

function textTable(title: string, rows: Record<RowName, Figures>, pack: PackIdentity): string {
  const labels = ROWS.map((r) => rowLabel(r, pack));
  const body = ROWS.map((r) => cells(rows[r]));
  const w0 = Math.max(...labels.map((l) => l.length), 6);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...body.map((b) => b[i]!.length)));
  const line = (first: string, rest: readonly string[]): string => `${first.padEnd(w0)}  ${rest.map((c, i) => c.padStart(widths[i]!)).join('  ')}`;
  return [title, line('', COLUMNS), ...ROWS.map((_, i) => line(labels[i]!, body[i]!))].join('\n');
}

function markdownTable(rows: Record<RowName, Figures>, pack: PackIdentity): string {
  return [
    `| | ${COLUMNS.join(' | ')} |`,
    `|---|${COLUMNS.map(() => '---:').join('|')}|`,
    ...ROWS.map((r) => `| ${rowLabel(r, pack)} | ${cells(rows[r]).join(' | ')} |`),
  ].join('\n');
}

export function headline(s: EvalSummary): string {
  const created = s.pack.created ? `, created ${s.pack.created}` : '';
  return (
    `Model pack ${s.pack.name} (format version ${s.pack.version}${created}) on ${s.clips.length} ${s.settings.split} clip(s), ` +
    `${s.frames} predicted frames (stride ${s.settings.stride}${s.settings.maxFrames ? `, at most ${s.settings.maxFrames} frames a clip` : ''}), ${s.settings.size} px`
  );
}

export const LEGEND = [
  'PSNR, SSIM: predicted frame vs the real frame (crop of the prepared data); PSNR capped at 100 dB.',
  'CSIM: cosine similarity of face embeddings (Human faceres, 1024-d) of each frame to the source frame.',
  'sync r: correlation of mouth opening (inner lips / face height, from the face mesh of each frame) with audio RMS energy, at the best lag within ±5 frames; lag > 0: the mouth follows the audio.',
  'closed@silence: share of silent frames (30 dB under the clip\'s loud frames) with the mouth closed (opening < 0.02).',
  'CSIM ±30°: embedding similarity of renders at yaw ±30° to the frontal render (the avatar at rest).',
].join('\n');

export function formatText(s: EvalSummary): string {
  const parts = [headline(s), ''];
  for (const c of s.clips) parts.push(textTable(`${c.clip} (${c.frames} frames, ${c.silentFrames} silent, ${c.seconds.toFixed(0)} s)`, c.rows, s.pack), '');
  parts.push(textTable('AVERAGE over clips', s.average, s.pack), '', LEGEND);
  return parts.join('\n');
}

export function formatMarkdown(s: EvalSummary): string {
  const parts = [`# Evaluation: ${s.pack.name}`, '', headline(s) + '.', '', '## Average over clips', '', markdownTable(s.average, s.pack), ''];
  for (const c of s.clips) parts.push(`## ${c.clip} (${c.frames} frames, ${c.silentFrames} silent)`, '', markdownTable(c.rows, s.pack), '');
  parts.push('## Columns', '', ...LEGEND.split('\n').map((l) => `- ${l}`), '');
  return parts.join('\n');
}

/** model.json `metrics`: the model's averages, the baselines beside them, and how they were made. */
export function metricsBlock(s: EvalSummary): Record<string, unknown> {
  const lip = (f: Figures): Record<string, number | null> => ({ correlation: f.lipsync.correlation, lag_frames: f.lipsync.correlation === null ? null : f.lipsync.lagFrames, closed_in_silence: f.lipsync.closedInSilence });
  const fig = (f: Figures): Record<string, unknown> => ({ psnr: f.psnr, ssim: f.ssim, csim: f.csim, lipsync: lip(f), novel_view_csim: f.novelViewCsim });
  return {
    ...fig(s.average.model),
    lpips: null,
    fid: null,
    baselines: { repeat_source_frame: fig(s.average.repeat_source), static_only: fig(s.average.static_only) },
    real_video: { csim: s.average.real.csim, lipsync: lip(s.average.real) },
    eval_set: `${s.settings.split} clips of ../shared/data/talking: ${s.clips.map((c) => c.clip).join(', ')}`,
    protocol: 'same identity: frame 0 is the source; every later frame predicted with its audio, time delta and estimated camera (npm run eval)',
    frames: s.frames,
    size_px: s.settings.size,
    stride: s.settings.stride,
  };
}
