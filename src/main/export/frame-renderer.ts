/**
 * One export frame through the native rasterizer: means + offsets, the frame's camera, the
 * frame's background (export-background.ts exportBackdrop), rendered off the main thread
 * (renderAsync; CUDA when usable, else every CPU core), then packed into the caller's 8-bit
 * buffer. Owns one set of float images and one means buffer, reused for every frame: at 4K that
 * is 20 bytes a pixel (166 MB), held once.
 */
import type { SplatBuffers } from '../../shared/splats/types.ts';
import { availableBackends, renderAsync, type BackendName, type RasterBackground, type RasterCamera, type RasterImages } from '../raster/native-raster.ts';
import { packFrame, type PixelLayout } from './frame-pixels.ts';

export interface FrameRendererOptions {
  splats: SplatBuffers;
  width: number;
  height: number;
  layout: PixelLayout;
  /** Default 'auto'. */
  backend?: BackendName | 'auto';
  /** CPU threads; default every hardware thread. */
  threads?: number;
}

export class FrameRenderer {
  readonly backend: BackendName;
  private readonly options: FrameRendererOptions;
  private readonly moved: SplatBuffers;
  private readonly images: RasterImages;

  constructor(options: FrameRendererOptions) {
    this.options = options;
    const requested = options.backend ?? 'auto';
    this.backend = requested === 'auto' ? (availableBackends().cuda ? 'cuda' : 'cpu') : requested;
    this.moved = { ...options.splats, means: new Float32Array(options.splats.means.length) };
    const pixels = options.width * options.height;
    this.images = { rgb: new Float32Array(pixels * 3), alpha: new Float32Array(pixels), depth: new Float32Array(pixels) };
  }

  /**
   * Renders the splats moved by offsets (float32 [N * 3]) from camera over background into out.
   * An image background is read until the promise settles: do not change it before.
   */
  async render(camera: RasterCamera, offsets: Float32Array, out: Uint8Array, background: RasterBackground): Promise<void> {
    const base = this.options.splats.means;
    const means = this.moved.means;
    if (offsets.length !== base.length) throw new RangeError(`offsets have ${offsets.length} values, the splats ${base.length}`);
    for (let k = 0; k < base.length; k++) means[k] = base[k]! + offsets[k]!;
    await renderAsync(this.moved, camera, {
      background,
      backend: this.backend,
      out: this.images,
      ...(this.options.threads ? { threads: this.options.threads } : {}),
    });
    packFrame(this.images.rgb, this.images.alpha, this.options.layout, out);
  }
}
