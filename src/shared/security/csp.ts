/**
 * Content-Security-Policy of the shipped renderer, the one policy of the Electron shell (response
 * header), the loopback web host (response header) and src/renderer/index.html (meta tag; a test
 * keeps them equal). Nothing inline, no eval, no remote origin; blob: for decoded media, preview
 * frames and workers; data: images for small inline icons.
 *
 * 'wasm-unsafe-eval' lets the page compile WebAssembly, and nothing else (JavaScript eval stays
 * refused): the 3D preview's splat renderer, Spark (@sparkjsdev/spark 2.2), compiles its sorting
 * and decoding module (inlined in its bundle, served from 'self') with WebAssembly.compile when
 * it loads, and its blob: sort worker instantiates it; without the keyword Chromium refuses the
 * compile and the preview draws nothing (seen in test/e2e/preview.e2e.test.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Only for the Vite dev server (`electron-vite dev`, never packaged or served by the web host):
 * Vite injects an inline React-refresh preamble and <style> tags, and talks to its server over a
 * WebSocket.
 */
export const DEV_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
  .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
  .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*");
