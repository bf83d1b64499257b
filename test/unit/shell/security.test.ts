import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
vi.mock('electron', () => import('./electron-stub.ts'));
import { app, FakeWebContents, fakeEvent, resetElectronStub, session, shell } from './electron-stub.ts';
import type { WebContents } from 'electron';
import {
  CONTENT_SECURITY_POLICY,
  DEV_CONTENT_SECURITY_POLICY,
  hardenWebContents,
  installSecurity,
  isExternalLink,
} from '../../../src/main/shell/security.ts';

const OURS = 'file:///opt/studio/out/renderer/index.html';
const isTrustedUrl = (url: string) => url.split('#')[0] === OURS;
const isAllowedFile = (url: string) => url.startsWith('file:///opt/studio/out/renderer/');
const install = () => installSecurity({ isTrustedUrl, isAllowedFile, csp: CONTENT_SECURITY_POLICY });

beforeEach(resetElectronStub);

function hardened(): FakeWebContents {
  const contents = new FakeWebContents();
  hardenWebContents(contents as unknown as WebContents, isTrustedUrl);
  return contents;
}

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name ?? '', values]));
}

describe('content security policy', () => {
  it('denies by default and allows only our own files, plus data:/blob: where media needs them', () => {
    const csp = directives(CONTENT_SECURITY_POLICY);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    // 'wasm-unsafe-eval' lets Spark compile its WebAssembly sorter; JavaScript eval stays refused.
    expect(csp.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:']);
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('has nothing unsafe in the shipped policy', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/(^|[^-])'unsafe-eval'/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('*');
    expect(DEV_CONTENT_SECURITY_POLICY).not.toMatch(/(^|[^-])'unsafe-eval'/);
  });

  // The built page carries the same policy as a <meta> tag (written by electron.vite.config.ts),
  // in case the header hook does not run for file:; a meta tag cannot carry frame-ancestors.
  // Skipped, with this reason, when the renderer has not been built (npm test always builds first).
  const html = join(import.meta.dirname, '../../../out/renderer/index.html');
  it.skipIf(!existsSync(html))('matches the <meta> policy in the built renderer page', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(html, 'utf8'));
    expect(meta, 'index.html has a CSP meta tag').not.toBeNull();
    const ours = directives(CONTENT_SECURITY_POLICY);
    ours.delete('frame-ancestors');
    // Vite writes the attribute with HTML character references, which the browser decodes.
    const content = meta![1]!.replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
    expect(directives(content)).toEqual(ours);
  });

  it('is set on every response, replacing whatever CSP the response had', () => {
    install();
    const listener = session.defaultSession.headersListener;
    expect(listener).toBeTypeOf('function');
    const callback = vi.fn();
    listener!(
      { url: OURS, responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      callback,
    );
    const headers = callback.mock.calls[0]![0].responseHeaders as Record<string, string[]>;
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Type']).toEqual(['text/html']);

    listener!({ url: 'file:///opt/studio/out/renderer/assets/index.js' }, callback);
    expect(callback.mock.calls[1]![0].responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });
});

describe('session', () => {
  it('lets the renderer load its own files and no other local file', () => {
    install();
    const decide = (url: string) => {
      const callback = vi.fn();
      session.defaultSession.requestListener!({ url }, callback);
      return callback.mock.calls[0]![0] as { cancel?: boolean };
    };
    expect(decide(OURS)).toEqual({ cancel: false });
    expect(decide('file:///opt/studio/out/renderer/assets/index-abc.js')).toEqual({ cancel: false });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    expect(decide('file:///home/creator/.ssh/id_ed25519')).toEqual({ cancel: true });
    expect(decide('http://localhost:5173/src/main.tsx')).toEqual({ cancel: false });
  });

  it('answers every permission request and check with no', () => {
    install();
    const { permissionRequestHandler, permissionCheckHandler } = session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      permissionRequestHandler!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(permissionCheckHandler!({}, permission, OURS, {})).toBe(false);
    }
  });

  it('hardens every web contents the app creates', () => {
    install();
    const contents = new FakeWebContents();
    app.emit('web-contents-created', fakeEvent(), contents);
    expect(contents.windowOpenHandler).toBeTypeOf('function');
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
  });
});

describe('web contents guards', () => {
  for (const eventName of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
    it(`${eventName}: blocks other URLs, lets our own page reload`, () => {
      const contents = hardened();
      for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://localhost:5173/', 'javascript:alert(1)']) {
        const event = fakeEvent({ url });
        contents.emit(eventName, event, url);
        expect(event.defaultPrevented, url).toBe(true);
      }
      const own = fakeEvent({ url: OURS });
      contents.emit(eventName, own, OURS);
      expect(own.defaultPrevented).toBe(false);
    });
  }

  it('denies every window.open, and hands only https links to the system browser', () => {
    const contents = hardened();
    const open = contents.windowOpenHandler!;
    expect(open({ url: 'https://github.com/nerfstudio-project/gsplat' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://github.com/nerfstudio-project/gsplat');
    for (const url of ['http://example.com/', 'file:///etc/passwd', OURS, 'smb://host/share', 'ms-settings:', 'nonsense']) {
      expect(open({ url })).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('never attaches a webview', () => {
    const contents = hardened();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('treats only https as external', () => {
    expect(isExternalLink('https://example.com')).toBe(true);
    expect(isExternalLink('HTTPS://EXAMPLE.COM')).toBe(true);
    expect(isExternalLink('http://example.com')).toBe(false);
    expect(isExternalLink('file:///x')).toBe(false);
    expect(isExternalLink('')).toBe(false);
  });
});
