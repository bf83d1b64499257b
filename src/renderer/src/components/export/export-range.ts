/**
 * Which part of the timeline the export covers (issue 7): the whole project, the span the I/O
 * marks set (the loop range), or times typed by the user. Typed times read as seconds ("12.5"),
 * minutes and seconds ("1:02.5") or hours, minutes and seconds ("1:02:03"). The checks are the
 * back end's (src/main/export/frame-plan.ts checkExportRange), so the dialog refuses before
 * sending what export.start would refuse after.
 */

export type RangeChoice = 'all' | 'marks' | 'custom';

export interface TimeSpan {
  startS: number;
  endS: number;
}

/** What the dialog knows of the timeline when it judges a range. */
export interface RangeContext {
  /** Where the last clip, key or segment ends (editor-model contentEnd). */
  projectEndS: number;
  /** The I/O marks, or null when none are set. */
  marks: TimeSpan | null;
}

/** Tolerance of an end past the project's end: float noise (checkExportRange's RANGE_END_SLACK_S). */
const END_SLACK_S = 1e-3;

const TIME_PATTERN = /^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d*)?|\.\d+)$/;

/** Seconds from "12.5", "1:02.5" or "1:02:03.5"; null when the text is none of these. */
export function parseTimeText(text: string): number | null {
  const match = TIME_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, first, second, secondsText] = match;
  const seconds = Number(secondsText);
  // "a:b:c" is hours:minutes:seconds, "a:b" minutes:seconds; a field after a colon stays below 60.
  const hours = second !== undefined ? Number(first) : 0;
  const minutes = second !== undefined ? Number(second) : first !== undefined ? Number(first) : 0;
  if ((first !== undefined && seconds >= 60) || (second !== undefined && minutes >= 60)) return null;
  return hours * 3600 + minutes * 60 + seconds;
}

/** "12.5" for 12.5, "1:02.5" for 62.5: how the dialog fills a time field. Millisecond precision. */
export function formatTimeText(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const whole = Math.floor(ms / 1000);
  const frac = ms % 1000 === 0 ? '' : `.${String(ms % 1000).padStart(3, '0').replace(/0+$/, '')}`;
  if (whole < 60) return `${whole}${frac}`;
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}${frac}` : `${m}:${s}${frac}`;
}

const fmt = (s: number): string => `${Number(s.toFixed(3))} s`;

export type RangeResult = { ok: true; range: TimeSpan | null; durationS: number } | { ok: false; error: string };

/**
 * The range to send (null: the whole timeline, as export.start does without one) and its
 * length, or a sentence saying what to fix.
 */
export function resolveRange(choice: RangeChoice, fromText: string, toText: string, context: RangeContext): RangeResult {
  const { projectEndS, marks } = context;
  if (choice === 'all') return { ok: true, range: null, durationS: projectEndS };
  let span: TimeSpan;
  if (choice === 'marks') {
    if (!marks) return { ok: false, error: 'No in and out marks are set: press I and O on the timeline, or type the times.' };
    span = marks;
  } else {
    const startS = parseTimeText(fromText);
    const endS = parseTimeText(toText);
    if (startS === null) return { ok: false, error: `"From" must be a time such as 12.5 or 1:02.5; got "${fromText.trim()}".` };
    if (endS === null) return { ok: false, error: `"To" must be a time such as 12.5 or 1:02.5; got "${toText.trim()}".` };
    span = { startS, endS };
  }
  if (!(span.endS > span.startS)) return { ok: false, error: `The range must end after it starts (${fmt(span.startS)} to ${fmt(span.endS)}).` };
  if (span.endS > projectEndS + END_SLACK_S) {
    return { ok: false, error: `The range ends at ${fmt(span.endS)}, but the project ends at ${fmt(projectEndS)}: choose an end of at most ${fmt(projectEndS)}.` };
  }
  const range = { startS: span.startS, endS: Math.min(span.endS, projectEndS) };
  return { ok: true, range, durationS: range.endS - range.startS };
}
