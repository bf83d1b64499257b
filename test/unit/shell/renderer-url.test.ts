import { describe, expect, it } from 'vitest';
import { rendererFileCheck, rendererUrlCheck } from '../../../src/main/shell/renderer-url.ts';

describe('renderer URL check', () => {
  const isOurs = rendererUrlCheck({ kind: 'file', file: '/opt/studio/out/renderer/index.html' }, 'linux');

  it('accepts our file, with or without query and fragment', () => {
    expect(isOurs('file:///opt/studio/out/renderer/index.html')).toBe(true);
    expect(isOurs('file:///opt/studio/out/renderer/index.html#/timeline')).toBe(true);
    expect(isOurs('file:///opt/studio/out/renderer/index.html?view=camera')).toBe(true);
    expect(isOurs('file://localhost/opt/studio/out/renderer/index.html')).toBe(true);
  });

  it('refuses other files, hosts, schemes and garbage', () => {
    expect(isOurs('file:///opt/studio/out/renderer/other.html')).toBe(false);
    expect(isOurs('file:///tmp/index.html')).toBe(false);
    expect(isOurs('file://evil.example/opt/studio/out/renderer/index.html')).toBe(false);
    expect(isOurs('https://example.com/opt/studio/out/renderer/index.html')).toBe(false);
    expect(isOurs('http://localhost:5173/')).toBe(false);
    expect(isOurs('about:blank')).toBe(false);
    expect(isOurs('')).toBe(false);
    expect(isOurs('not a url')).toBe(false);
  });

  it('is case-sensitive on Linux, not on Windows', () => {
    expect(isOurs('file:///OPT/studio/out/renderer/index.html')).toBe(false);
    const win = rendererUrlCheck({ kind: 'file', file: 'C:\\Program Files\\Studio\\out\\renderer\\index.html' }, 'win32');
    expect(win('file:///c:/Program%20Files/Studio/out/renderer/index.html')).toBe(true);
    expect(win('file:///C:/Program%20Files/Studio/out/renderer/other.html')).toBe(false);
  });

  it('matches the dev server by origin', () => {
    const dev = rendererUrlCheck({ kind: 'dev', url: 'http://localhost:5173/' }, 'linux');
    expect(dev('http://localhost:5173/')).toBe(true);
    expect(dev('http://localhost:5173/src/main.tsx?t=1')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://127.0.0.1:5173/')).toBe(false);
    expect(dev('file:///opt/studio/out/renderer/index.html')).toBe(false);
  });

  it('allows file loads only inside the renderer folder', () => {
    const mayLoad = rendererFileCheck({ kind: 'file', file: '/opt/studio/out/renderer/index.html' }, 'linux');
    expect(mayLoad('file:///opt/studio/out/renderer/index.html')).toBe(true);
    expect(mayLoad('file:///opt/studio/out/renderer/assets/index-abc.js?v=1')).toBe(true);
    expect(mayLoad('file:///opt/studio/out/renderer/../preload/index.cjs')).toBe(false);
    expect(mayLoad('file:///opt/studio/out/renderer%2F..%2F..%2Fpackage.json')).toBe(false);
    expect(mayLoad('file:///opt/studio/out/renderer-evil/x.js')).toBe(false);
    expect(mayLoad('file:///opt/studio/out/renderer')).toBe(false);
    expect(mayLoad('file:///etc/passwd')).toBe(false);
    expect(mayLoad('https://example.com/')).toBe(false);
    const dev = rendererFileCheck({ kind: 'dev', url: 'http://localhost:5173/' }, 'linux');
    expect(dev('file:///opt/studio/out/renderer/index.html')).toBe(false);
  });
});
