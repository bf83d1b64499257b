/**
 * Locks the renderer down (Electron security checklist, https://www.electronjs.org/docs/latest/tutorial/security):
 * no navigation away from our page, no new windows, no webviews, no permissions, a strict CSP,
 * no local files beyond the renderer's own. Applied to every web contents the app creates.
 */
import { app, session, shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../../shared/security/csp.ts';
import type { UrlCheck } from './renderer-url.ts';

export { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY };

export interface SecurityOptions {
  /** Our page (renderer-url.ts rendererUrlCheck). */
  isTrustedUrl: UrlCheck;
  /** file: URLs the renderer may load (renderer-url.ts rendererFileCheck). */
  isAllowedFile: UrlCheck;
  csp: string;
}

/** Call before the first window is created. */
export function installSecurity(options: SecurityOptions): void {
  hardenSession(session.defaultSession, options);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options.isTrustedUrl));
}

export function hardenSession(ses: Session, options: Pick<SecurityOptions, 'isAllowedFile' | 'csp'>): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // CSP 'self' on a file: page would cover every file on the disk; this narrows it to ours.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: details.url.startsWith('file:') && !options.isAllowedFile(details.url) });
  });
  // Also wanted as a <meta> tag in index.html: older Electron versions skip this hook for file:.
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, options.csp) });
  });
}

/** Response headers with any Content-Security-Policy the response carried replaced by ours. */
export function withCsp(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

export function hardenWebContents(contents: WebContents, isTrustedUrl: UrlCheck): void {
  const guard = (event: { preventDefault(): void; url: string }) => {
    if (!isTrustedUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-frame-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) void shell.openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}

/** Links we hand to the system browser: https only (no file:, smb:, custom schemes, http). */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
