/**
 * What shows behind the head in an export (issue 7): the rasterizer composites C + T * background
 * (DESIGN.md "Rasterizer semantics"), so every choice becomes a RasterBackground at the output
 * size, per frame (exportBackdrop):
 *   predicted    the avatar's inpainted background on its card in head space, seen through the
 *                frame's camera exactly as the preview draws it (src/shared/camera/background-card.ts:
 *                the square image fills the source camera's frustum just behind the head, and its
 *                scale follows the camera, so a 16:9 frame shows it at the head's scale; the drawn
 *                card is CARD_EXTENT times larger with its edge texels repeated outward, so wider
 *                frames and moved cameras stay filled; a moving camera sees its parallax). Sampled
 *                as the preview's texture is: bilinear between texel centres, clamped at the edges, in
 *                linear light (an sRGB texture is decoded before filtering), on 8-bit texels;
 *                redrawn only when the camera changes;
 *   color        one colour;
 *   image        an image file, scaled to cover the frame (centred, aspect kept), fixed on screen;
 *   transparent  black, and the frame's alpha is the splats' coverage (straight alpha).
 * Values are display values as the png writer treats them (src/main/raster/png-writer.ts): 8-bit
 * levels / 255.
 */
import sharp, { type Sharp } from 'sharp';
import { ApiError } from '../../shared/api/errors.ts';
import type { ExportSettings } from '../../shared/api/contract.ts';
import { BACKDROP_GREY, CARD_UV_MAX, CARD_UV_MIN, backgroundTexels, cardCorners, cardDepth, cardHomography, type CardCorners } from '../../shared/camera/background-card.ts';
import type { PinholeCamera } from '../../shared/camera/pinhole.ts';
import type { AvatarCamera } from '../../shared/project/types.ts';
import type { RasterBackground } from '../raster/native-raster.ts';

export type ExportBackgroundSetting = ExportSettings['background'];

/** #rrggbb as 0..1 values. */
export function hexColor(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new ApiError('INVALID_INPUT', `A colour is #rrggbb, got ${hex}`);
  return [parseInt(m[1]!, 16) / 255, parseInt(m[2]!, 16) / 255, parseInt(m[3]!, 16) / 255];
}

/** 8-bit RGB pixels (any size) scaled to cover width x height, as 0..1 floats. */
async function coverRgb(input: Sharp, width: number, height: number): Promise<Float32Array> {
  const { data, info } = await input
    .flatten({ background: '#000000' })
    .removeAlpha()
    .toColourspace('srgb')
    .resize(width, height, { fit: 'cover', position: 'centre', kernel: 'linear' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== width || info.height !== height) {
    throw new Error(`background scaled to ${info.width}x${info.height}x${info.channels}, expected ${width}x${height}x3`);
  }
  const out = new Float32Array(width * height * 3);
  for (let k = 0; k < out.length; k++) out[k] = data[k]! / 255;
  return out;
}

/**
 * The avatar's predicted background (float32 RGB bytes [R, R, 3]) scaled to cover width x height,
 * fixed on screen. From the source camera at R's aspect (a square frame) this is the card's view
 * too; the export draws the card (CardBackdrop), this stays for square source-view comparisons.
 */
export async function predictedBackground(backgroundBytes: Uint8Array, width: number, height: number): Promise<Float32Array> {
  const floats = new Float32Array(backgroundBytes.slice().buffer);
  const r = Math.round(Math.sqrt(floats.length / 3));
  if (r * r * 3 !== floats.length) throw new ApiError('PROJECT_CORRUPT', `The avatar's background has ${floats.length} values, not a square RGB image.`);
  const bytes = Buffer.from(Uint8Array.from(floats, (v) => Math.round(255 * Math.min(1, Math.max(0, v)))));
  return coverRgb(sharp(bytes, { raw: { width: r, height: r, channels: 3 } }), width, height);
}

/** sRGB transfer (IEC 61966-2-1), as three.js's shaders and the GPU's sRGB texture decode apply it. */
function srgbToLinear(c: number): number {
  return c < 0.04045 ? c * 0.0773993808 : Math.pow(c * 0.9478672986 + 0.0521327014, 2.4);
}

function linearToSrgb(c: number): number {
  return c < 0.0031308 ? c * 12.92 : 1.055 * Math.pow(c, 0.41666) - 0.055;
}

/**
 * Steps of the linear-to-sRGB table, read at the nearest step: the curve's steepest slope is 12.92
 * (at black), so the value is within 12.92 / (2 * 65535) = 1e-4 (a fortieth of an 8-bit level).
 */
const ENCODE_STEPS = 65535;
let encodeTable: Float32Array | null = null;

function encodeLut(): Float32Array {
  if (!encodeTable) {
    encodeTable = new Float32Array(ENCODE_STEPS + 2);
    for (let i = 0; i <= ENCODE_STEPS + 1; i++) encodeTable[i] = linearToSrgb(Math.min(1, i / ENCODE_STEPS));
  }
  return encodeTable;
}

/**
 * The card's texels as linear RGB floats, padded by one texel on every side with copies of the edge
 * texels ((R + 2) x (R + 2) x 3): bilinear sampling clamped at the edges then needs no clamping.
 */
export function paddedLinearTexels(texels: Uint8Array, r: number): Float32Array {
  const decode = Float32Array.from({ length: 256 }, (_, i) => srgbToLinear(i / 255));
  const side = r + 2;
  const out = new Float32Array(side * side * 3);
  for (let j = 0; j < side; j++) {
    const sj = Math.min(r - 1, Math.max(0, j - 1));
    for (let i = 0; i < side; i++) {
      const si = Math.min(r - 1, Math.max(0, i - 1));
      for (let c = 0; c < 3; c++) out[3 * (j * side + i) + c] = decode[texels[4 * (sj * r + si) + c]!]!;
    }
  }
  return out;
}

/**
 * Draws the card as `camera` sees it into out (width * height * 3, display values 0..1): each
 * pixel's centre maps through the card homography (background-card.ts cardHomography); on the
 * drawn card (card coordinates in [CARD_UV_MIN, CARD_UV_MAX]) it gets the bilinear, edge-clamped
 * (CLAMP_TO_EDGE: coordinates clamped to the source view's [0, 1]), linear-light sample of the
 * R x R texels (`padded`: paddedLinearTexels), elsewhere BACKDROP_GREY. h null: no card in sight,
 * all grey.
 */
export function drawCard(padded: Float32Array, r: number, h: readonly number[] | null, width: number, height: number, out: Float32Array): void {
  const grey = BACKDROP_GREY / 255;
  if (!h) {
    out.fill(grey);
    return;
  }
  const lut = encodeLut();
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = h as [number, number, number, number, number, number, number, number, number];
  const stride = 3 * (r + 2);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const py = y + 0.5;
    let u = h0 * 0.5 + h1 * py + h2;
    let v = h3 * 0.5 + h4 * py + h5;
    let w = h6 * 0.5 + h7 * py + h8;
    for (let x = 0; x < width; x++, o += 3, u += h0, v += h3, w += h6) {
      // Behind the camera (w <= 0) the ray misses the plane: NaN is off the card.
      const ss = w > 0 ? u / w : NaN;
      const tt = w > 0 ? v / w : NaN;
      if (ss >= CARD_UV_MIN && ss <= CARD_UV_MAX && tt >= CARD_UV_MIN && tt <= CARD_UV_MAX) {
        // Texel coordinates with centres at whole numbers, shifted by the padding's one texel,
        // clamped to the source view (the edge texels beyond it): in [0.5, R + 0.5], so truncation
        // is floor and the four texels are inside the padding.
        const tx = (ss < 0 ? 0 : ss > 1 ? 1 : ss) * r + 0.5;
        const ty = (tt < 0 ? 0 : tt > 1 ? 1 : tt) * r + 0.5;
        const ix = tx | 0;
        const iy = ty | 0;
        const ax = tx - ix;
        const ay = ty - iy;
        const i00 = iy * stride + 3 * ix;
        const i01 = i00 + stride;
        const w00 = (1 - ax) * (1 - ay);
        const w10 = ax * (1 - ay);
        const w01 = (1 - ax) * ay;
        const w11 = ax * ay;
        // Linear light, rounded to the nearest table step (+ 0.5, truncated: the values are >= 0).
        out[o] = lut[((w00 * padded[i00]! + w10 * padded[i00 + 3]! + w01 * padded[i01]! + w11 * padded[i01 + 3]!) * ENCODE_STEPS + 0.5) | 0]!;
        out[o + 1] = lut[((w00 * padded[i00 + 1]! + w10 * padded[i00 + 4]! + w01 * padded[i01 + 1]! + w11 * padded[i01 + 4]!) * ENCODE_STEPS + 0.5) | 0]!;
        out[o + 2] = lut[((w00 * padded[i00 + 2]! + w10 * padded[i00 + 5]! + w01 * padded[i01 + 2]! + w11 * padded[i01 + 5]!) * ENCODE_STEPS + 0.5) | 0]!;
      } else {
        out[o] = grey;
        out[o + 1] = grey;
        out[o + 2] = grey;
      }
    }
  }
}

/** The avatar's card behind every frame: one image buffer, redrawn when the camera moves. */
export class CardBackdrop {
  readonly corners: CardCorners | null;
  private readonly padded: Float32Array;
  private readonly resolution: number;
  private readonly image: Float32Array;
  private readonly width: number;
  private readonly height: number;
  private drawnFor: number[] | null = null;

  /** backgroundBytes: float32 RGB [R, R, 3]; camera and means: where the card stands (cardDepth, cardCorners). */
  constructor(backgroundBytes: Uint8Array, camera: AvatarCamera, means: Float32Array, width: number, height: number) {
    const floats = backgroundBytes.byteLength / 4;
    const r = Math.round(Math.sqrt(floats / 3));
    if (r * r * 3 !== floats) throw new ApiError('PROJECT_CORRUPT', `The avatar's background has ${floats} values, not a square RGB image.`);
    this.padded = paddedLinearTexels(backgroundTexels(backgroundBytes, r), r);
    this.resolution = r;
    const depth = cardDepth(camera, means);
    this.corners = depth === null ? null : cardCorners(camera, depth);
    this.width = width;
    this.height = height;
    this.image = new Float32Array(width * height * 3);
  }

  /** The backdrop `camera` sees (the same buffer every call; do not hold it across calls). */
  at(camera: Pick<PinholeCamera, 'fx' | 'fy' | 'cx' | 'cy' | 'view'>): Float32Array {
    const key = [camera.fx, camera.fy, camera.cx, camera.cy, ...Array.from(camera.view)];
    if (this.drawnFor && this.drawnFor.every((value, i) => value === key[i])) return this.image;
    const h = this.corners ? cardHomography(this.corners, camera) : null;
    drawCard(this.padded, this.resolution, h, this.width, this.height, this.image);
    this.drawnFor = key;
    return this.image;
  }
}

export interface BackgroundSources {
  /** The active avatar's background bytes, when it has one. */
  avatarBackground: Uint8Array | null;
  /** The avatar's source camera and splat centres: where its background card stands. */
  avatarCamera: AvatarCamera | null;
  means: Float32Array | null;
}

/** The background of each frame, by its camera. */
export interface FrameBackdrop {
  at(camera: PinholeCamera): RasterBackground;
}

/** The frames' background for a setting at width x height. */
export async function exportBackdrop(setting: ExportBackgroundSetting, width: number, height: number, sources: BackgroundSources): Promise<FrameBackdrop> {
  switch (setting.kind) {
    case 'transparent':
      return fixed({ color: [0, 0, 0] });
    case 'color':
      return fixed({ color: hexColor(setting.color) });
    case 'predicted': {
      if (!sources.avatarBackground || !sources.avatarCamera || !sources.means) {
        throw new ApiError('INVALID_INPUT', 'The predicted background needs an avatar; create one from a portrait, or choose a colour.');
      }
      const card = new CardBackdrop(sources.avatarBackground, sources.avatarCamera, sources.means, width, height);
      return { at: (camera) => ({ image: card.at(camera) }) };
    }
    case 'image':
      try {
        return fixed({ image: await coverRgb(sharp(setting.path), width, height) });
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw new ApiError('UNSUPPORTED_MEDIA', `The background image ${setting.path} could not be read: ${(error as Error).message}`, { path: setting.path });
      }
  }
}

function fixed(background: RasterBackground): FrameBackdrop {
  return { at: () => background };
}
