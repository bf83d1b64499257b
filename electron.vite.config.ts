/**
 * One build for the three targets (electron-vite):
 *  - main:     out/main/index.js (Electron shell) and out/main/host.js (loopback web host + CLI,
 *              plain Node, never imports electron)
 *  - preload:  out/preload/index.cjs (CommonJS: sandboxed preloads cannot be ES modules)
 *  - renderer: out/renderer/ (React), served by Electron or by the web host
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/shell/index.ts'),
          host: resolve(import.meta.dirname, 'src/main/host/host-cli.ts'),
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
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});
