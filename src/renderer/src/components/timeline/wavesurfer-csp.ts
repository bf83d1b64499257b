/**
 * wavesurfer.js under the studio's Content Security Policy (style-src 'self', no inline styles;
 * src/shared/security/csp.ts). wavesurfer 8 writes a <style> element into its shadow root, which
 * that policy blocks (a CSP violation, and unstyled canvases). Its renderer is therefore given a
 * shadow root styled by a constructed stylesheet (adoptedStyleSheets, which CSP does not govern)
 * with the same structure (scroll > wrapper > canvases, progress, cursor), verified in Chromium.
 * Pinned to wavesurfer.js 8.0.1 (package.json); the check below refuses a renderer that changed.
 */
import WaveSurfer from 'wavesurfer.js/dist/wavesurfer.js';
import Renderer from 'wavesurfer.js/dist/renderer.js';

const SHADOW_CSS = `
:host { user-select: none; min-width: 1px; }
.scroll { overflow-x: auto; overflow-y: hidden; width: 100%; position: relative; }
.noScrollbar { scrollbar-color: transparent; scrollbar-width: none; }
.noScrollbar::-webkit-scrollbar { display: none; -webkit-appearance: none; }
.wrapper { position: relative; overflow: visible; z-index: 2; }
.canvases { pointer-events: none; }
.canvases > div { position: relative; }
canvas { display: block; position: absolute; top: 0; image-rendering: pixelated; }
.progress { pointer-events: none; position: absolute; z-index: 2; top: 0; left: 0; width: 0; height: 100%; overflow: hidden; }
.progress > div { position: relative; }
.cursor { pointer-events: none; position: absolute; z-index: 5; top: 0; left: 0; height: 100%; border-radius: 2px; }
`;

let sheet: CSSStyleSheet | null = null;

type RendererInternals = { initHtml(): [HTMLElement, ShadowRoot]; options: { height?: number | 'auto' } };

function patchRenderer(): void {
  const proto = (Renderer as unknown as { prototype: RendererInternals & { __cspSafe?: boolean } }).prototype;
  if (proto.__cspSafe) return;
  if (typeof proto.initHtml !== 'function') throw new Error('wavesurfer.js renderer changed: initHtml is gone (see wavesurfer-csp.ts)');
  proto.initHtml = function initHtml(this: RendererInternals): [HTMLElement, ShadowRoot] {
    const div = document.createElement('div');
    const shadow = div.attachShadow({ mode: 'open' });
    sheet ??= (() => {
      const s = new CSSStyleSheet();
      s.replaceSync(SHADOW_CSS);
      return s;
    })();
    shadow.adoptedStyleSheets = [sheet];
    // Markup only, no style attributes: what wavesurfer's own template builds.
    shadow.innerHTML =
      '<div class="scroll" part="scroll"><div class="wrapper" part="wrapper">' +
      '<div class="canvases" part="canvases"></div><div class="progress" part="progress"></div>' +
      '<div class="cursor" part="cursor"></div></div></div>';
    const canvases = shadow.querySelector<HTMLElement>('.canvases');
    if (canvases && typeof this.options.height === 'number') canvases.style.minHeight = `${this.options.height}px`;
    return [div, shadow];
  };
  proto.__cspSafe = true;
}

/** WaveSurfer.create, with the CSP-safe renderer. */
export function createWaveSurfer(options: ConstructorParameters<typeof WaveSurfer>[0]): WaveSurfer {
  patchRenderer();
  return WaveSurfer.create(options);
}

export type { WaveSurfer };
