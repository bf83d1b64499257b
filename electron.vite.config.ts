/**
 * One build for the three targets (electron-vite):
 *  - main:     out/main/index.js (Electron shell), out/main/host.js (loopback web host + CLI),
 *              out/main/render.js (splat renderer CLI) and out/main/engine.js (the engine process,
 *              run by utilityProcess or child_process.fork); all but index.js are plain Node
 *  - preload:  out/preload/index.cjs (CommonJS: sandboxed preloads cannot be ES modules)
 *  - renderer: out/renderer/ (React), served by Electron or by the web host
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from './src/shared/security/csp.ts';

/**
 * Writes the renderer's CSP into index.html as a <meta> tag from the one shared policy (the
 * response headers carry it too). A meta tag cannot carry frame-ancestors, so that is dropped.
 * The dev server gets the dev policy, which allows Vite's inline preamble and styles.
 */
function cspMetaTag(): Plugin {
  return {
    name: 'splat-studio-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(_html, ctx) {
        const policy = (ctx.server ? DEV_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY)
          .split('; ')
          .filter((directive) => !directive.startsWith('frame-ancestors'))
          .join('; ');
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: policy }, injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/shell/index.ts'),
          host: resolve(import.meta.dirname, 'src/main/host/host-cli.ts'),
          render: resolve(import.meta.dirname, 'src/main/raster/render-cli.ts'),
          engine: resolve(import.meta.dirname, 'src/main/engine/engine-process.ts'),
          cli: resolve(import.meta.dirname, 'src/main/cli/studio-cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
    plugins: [react(), cspMetaTag()],
  },
});
