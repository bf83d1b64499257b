/**
 * The export dialog's pure parts: form -> export.start input (judged by the contract's schema),
 * the default output path, and the facts the renderer keeps twins of (file extensions, default
 * CRFs, the frame count), checked against the back end's own tables and planFrames.
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportSettingsInput, studioApi, type ExportFormat } from '../../../src/shared/api/contract.ts';
import { FORMAT_INFO } from '../../../src/main/export/ffmpeg-args.ts';
import { planFrames } from '../../../src/main/export/frame-plan.ts';
import { defaultForm, exportOutputPath, exportStem, formToRequest, unusedName, withFormatExtension, type ExportForm } from '../../../src/renderer/src/components/export/export-form.ts';
import { FORMAT_FACTS } from '../../../src/renderer/src/components/export/export-formats.ts';
import { estimateLine, formatSeconds, frameAspect, frameCount, progressFraction, progressLine } from '../../../src/renderer/src/components/export/export-estimate.ts';

const form = (patch: Partial<ExportForm> = {}): ExportForm => ({ ...defaultForm('Demo'), ...patch });
const custom = (width: string, height: string, patch: Partial<ExportForm> = {}): ExportForm => form({ size: 'custom', width, height, ...patch });

function errorsOf(f: ExportForm) {
  const result = formToRequest(f);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.request)}`);
  return result.errors;
}

function requestOf(f: ExportForm) {
  const result = formToRequest(f);
  if (!result.ok) throw new Error(`expected a request, got ${JSON.stringify(result.errors)}`);
  return result.request;
}

describe('formToRequest', () => {
  it('turns the default form into Full HD, 25 fps, H.264 over the predicted background, into a folder it may create', () => {
    expect(requestOf(form())).toEqual({ settings: { width: 1920, height: 1080, fps: 25, format: 'mp4-h264', background: { kind: 'predicted' } }, createFolder: true });
  });

  it('takes presets and custom sizes', () => {
    expect(requestOf(form({ size: 'vertical' })).settings).toMatchObject({ width: 1080, height: 1920 });
    expect(requestOf(form({ size: '4k' })).settings).toMatchObject({ width: 3840, height: 2160 });
    expect(requestOf(custom(' 320 ', '180', { fps: 60 })).settings).toMatchObject({ width: 320, height: 180, fps: 60 });
  });

  it('says what a custom size field needs', () => {
    expect(errorsOf(custom('', '180')).size).toBe('Enter the width in pixels.');
    expect(errorsOf(custom('abc', '180')).size).toBe('Width must be a whole number of pixels; got "abc".');
    expect(errorsOf(custom('320', '180.5')).size).toBe('Height must be a whole number of pixels; got "180.5".');
    expect(errorsOf(custom('8', '180')).size).toBe('Width must be at least 16 px.');
    expect(errorsOf(custom('320', '9000')).size).toBe('Height must be at most 7680 px.');
  });

  it('refuses odd sizes for 4:2:0 codecs with the schema\'s words, and allows them where colour is not subsampled', () => {
    for (const format of ['mp4-h264', 'mp4-h265', 'webm-vp9'] as const) {
      expect(errorsOf(custom('321', '180', { format })).size).toMatch(/must be even; got 321x180/);
    }
    expect(requestOf(custom('321', '181', { format: 'png-sequence' })).settings).toMatchObject({ width: 321, height: 181 });
    expect(requestOf(custom('321', '181', { format: 'mov-prores4444' })).settings).toMatchObject({ width: 321, height: 181 });
  });

  it('allows transparency only for formats with alpha, and puts the reason by the background', () => {
    expect(errorsOf(form({ background: 'transparent' })).background).toMatch(/mp4-h264 has no alpha channel/);
    expect(requestOf(form({ background: 'transparent', format: 'mov-prores4444' })).settings.background).toEqual({ kind: 'transparent' });
  });

  it('checks the CRF against the codec\'s range and ignores quality where the format has none', () => {
    expect(errorsOf(form({ quality: 'crf', crf: '60' })).quality).toBe('CRF for mp4-h264 is 0..51, got 60');
    expect(requestOf(form({ quality: 'crf', crf: '60', format: 'webm-vp9' })).settings.quality).toEqual({ mode: 'crf', crf: 60 });
    expect(errorsOf(form({ quality: 'crf', crf: 'best' })).quality).toBe('CRF must be a whole number of steps; got "best".');
    expect(requestOf(form({ quality: 'crf', crf: 'x', format: 'png-sequence' })).settings.quality).toBeUndefined();
    expect(errorsOf(form({ quality: 'bitrate', kbps: '50' })).quality).toBe('Bitrate must be at least 100 kbit/s.');
    expect(requestOf(form({ quality: 'bitrate', kbps: '2500' })).settings.quality).toEqual({ mode: 'bitrate', kbps: 2500 });
  });

  it('sends a colour, or an image of the media bin by id', () => {
    expect(requestOf(form({ background: 'color', color: '#336699' })).settings.background).toEqual({ kind: 'color', color: '#336699' });
    expect(errorsOf(form({ background: 'image' })).background).toBe('Choose an image from the media bin for the background.');
    const request = requestOf(form({ background: 'image', imageMediaId: 'm_1' }));
    expect(request.backgroundMediaId).toBe('m_1');
  });

  it('needs a file name', () => {
    expect(errorsOf(form({ name: '  ' })).name).toBe('Give the export a file name.');
    expect(errorsOf(form({ name: '...' })).name).toBe('Give the export a file name.');
  });

  it('refuses exactly what the contract refuses, over a grid of sizes, formats, backgrounds and qualities', () => {
    const sizes: Array<[number, number]> = [[320, 180], [321, 180], [320, 181], [15, 100], [16, 16], [7680, 4320], [7681, 100]];
    const backgrounds = ['predicted', 'transparent', 'color'] as const;
    const crfs = [undefined, 0, 40, 51, 52, 63];
    let checked = 0;
    for (const [width, height] of sizes) {
      for (const format of EXPORT_FORMATS) {
        for (const background of backgrounds) {
          for (const crf of crfs) {
            const f = custom(String(width), String(height), { format, background, color: '#102030', ...(crf === undefined ? {} : { quality: 'crf', crf: String(crf) }) });
            const direct = exportSettingsInput.safeParse({
              width,
              height,
              fps: 25,
              format,
              background: background === 'color' ? { kind: 'color', color: '#102030' } : { kind: background },
              // The form drops quality for ProRes and PNG, as the encoder does (contract: "ignores it").
              ...(crf === undefined || FORMAT_FACTS[format].defaultCrf === null ? {} : { quality: { mode: 'crf', crf } }),
            });
            const result = formToRequest(f);
            expect(result.ok, `${width}x${height} ${format} ${background} crf ${crf}`).toBe(direct.success);
            if (result.ok) expect(studioApi['export.start'].input.safeParse({ ...result.request, outputPath: '/lib/Exports/a.mp4' }).success).toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(7 * 5 * 3 * 6);
  });
});

describe('the output path', () => {
  it('gives a path picked in the save dialog the format\'s extension, and needs no file name then', () => {
    expect(withFormatExtension('/v/Take.mp4', 'webm-vp9')).toBe('/v/Take.webm');
    expect(withFormatExtension('/v/Take.WEBM', 'mov-prores4444')).toBe('/v/Take.mov');
    expect(withFormatExtension('/v/Take.mov', 'png-sequence')).toBe('/v/Take');
    expect(withFormatExtension('/v/frames', 'mp4-h265')).toBe('/v/frames.mp4');
    expect(withFormatExtension('/v/my.take', 'mp4-h264')).toBe('/v/my.take.mp4');
    expect(formToRequest(form({ name: '', chosenPath: '/v/Take.mp4' })).ok).toBe(true);
    expect(formToRequest(form({ name: '' })).ok).toBe(false);
  });

  it('cleans a name into a file stem and drops an extension the format adds', () => {
    expect(exportStem('My: take? <1>')).toBe('My- take- -1-');
    expect(exportStem('  .hidden. ')).toBe('hidden');
    expect(exportStem('clip.mp4', 'mp4-h264')).toBe('clip');
    expect(exportStem('clip.MP4', 'webm-vp9')).toBe('clip.MP4');
    expect(exportStem('a/b\\c')).toBe('a-b-c');
    expect(exportStem('x'.repeat(150))).toHaveLength(100);
  });

  it('puts exports in the library\'s Exports folder with the format\'s extension', () => {
    expect(exportOutputPath('/home/me/Splat Portraits', 'Demo', 'mp4-h264')).toBe('/home/me/Splat Portraits/Exports/Demo.mp4');
    expect(exportOutputPath('/lib/', 'Demo', 'webm-vp9')).toBe('/lib/Exports/Demo.webm');
    expect(exportOutputPath('/lib', 'Demo', 'png-sequence')).toBe('/lib/Exports/Demo');
    expect(exportOutputPath('C:\\Users\\me\\Splat', 'Demo', 'mov-prores4444')).toBe('C:\\Users\\me\\Splat\\Exports\\Demo.mov');
  });

  it('offers a name no earlier export used', () => {
    const used = new Set(['/lib/Exports/Demo.mp4', '/lib/Exports/Demo 2.mp4']);
    expect(unusedName('Demo', 'mp4-h264', '/lib', used)).toBe('Demo 3');
    expect(unusedName('Demo', 'webm-vp9', '/lib', used)).toBe('Demo');
  });
});

describe('twins of the back end\'s facts', () => {
  it('has the encoder table\'s extensions and default CRFs (src/main/export/ffmpeg-args.ts FORMAT_INFO)', () => {
    for (const format of EXPORT_FORMATS as readonly ExportFormat[]) {
      expect(FORMAT_FACTS[format].extension, format).toBe(FORMAT_INFO[format].extension);
      expect(FORMAT_FACTS[format].defaultCrf, format).toBe(FORMAT_INFO[format].defaultCrf);
    }
  });

  it('counts frames as planFrames does', () => {
    for (const fps of [24, 25, 30, 50, 60] as const) {
      for (const durationS of [0.001, 0.04, 1, 1 / 3, 5.948163, 10, 59.99, 3600.02]) {
        expect(frameCount(durationS, fps), `${durationS} s at ${fps}`).toBe(planFrames({ media: [], clips: [], timeWarp: [], cameraKeys: [] }, { fps, range: { startS: 0, endS: durationS } }).frames);
      }
    }
  });
});

describe('estimates and progress words', () => {
  it('reads the video length and frame count', () => {
    expect(estimateLine(5.948163, 25)).toBe('6.0 s · 149 frames at 25 fps');
    expect(estimateLine(90, 60)).toBe('1 min 30 s · 5,400 frames at 60 fps');
    expect(estimateLine(0, 25)).toMatch(/^Nothing to export yet/);
  });

  it('formats seconds', () => {
    expect(formatSeconds(0)).toBe('0.0 s');
    expect(formatSeconds(59.94)).toBe('59.9 s');
    expect(formatSeconds(83.4)).toBe('1 min 23 s');
    expect(formatSeconds(3725)).toBe('1 h 2 min');
    expect(formatSeconds(Number.NaN)).toBe('–');
  });

  it('gives the safe frame the size\'s aspect, within the view state\'s range', () => {
    expect(frameAspect(1920, 1080)).toBeCloseTo(16 / 9, 12);
    expect(frameAspect(1080, 1920)).toBeCloseTo(9 / 16, 12);
    expect(frameAspect(7680, 16)).toBe(10);
    expect(frameAspect(0, 100)).toBeNull();
  });

  it('says how far an export got', () => {
    const p = { id: 1, outputPath: '/x.mp4', framesDone: 40, framesTotal: 160, fps: 12.54, secondsLeft: 9.6, error: null };
    expect(progressLine({ ...p, state: 'rendering' })).toBe('Rendering · 40 / 160 frames · 12.5 fps · 9.6 s left');
    expect(progressLine({ ...p, state: 'rendering', fps: 0, secondsLeft: null })).toBe('Rendering · 40 / 160 frames');
    expect(progressLine({ ...p, state: 'baking' })).toBe('Waiting for the lips to bake… 40 / 160 frames');
    expect(progressLine({ ...p, state: 'preparing' })).toBe('Preparing…');
    expect(progressFraction({ ...p, state: 'rendering' })).toBe(0.25);
    expect(progressFraction({ ...p, state: 'done', framesTotal: 0 })).toBe(1);
    expect(progressFraction({ ...p, state: 'failed', framesTotal: 0 })).toBe(0);
  });
});
