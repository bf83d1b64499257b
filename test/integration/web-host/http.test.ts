/** The loopback web host over real HTTP: binding, token exchange, static files, refusals. */
import { connect as netConnect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY as RENDERER_CSP } from '../../../src/shared/security/csp.ts';
import { A_JS, INDEX_HTML, rawRequest, startTestHost, type HostFixture } from '../../helpers/web-host-fixture.ts';

let fx: HostFixture;
let base: string;

beforeEach(async () => {
  fx = await startTestHost();
  base = `http://127.0.0.1:${fx.host.port}`;
});

afterEach(async () => {
  await fx.dispose();
});

/** Resolves with the connect error code, or 'connected'. */
function tcpProbe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('web host, HTTP', () => {
  it('listens on 127.0.0.1 only, and prints a URL with its token', async () => {
    expect(fx.host.port).toBeGreaterThan(0);
    expect(fx.host.url).toBe(`${base}/?token=${fx.host.token}`);
    expect(await tcpProbe('127.0.0.1', fx.host.port)).toBe('connected');
    // 127.0.0.2 is loopback too on Linux: reachable only if the host had bound 0.0.0.0.
    expect(await tcpProbe('127.0.0.2', fx.host.port)).not.toBe('connected');
    expect(await tcpProbe('::1', fx.host.port)).not.toBe('connected');
  });

  it('refuses / without a token with 403', async () => {
    const res = await fetch(`${base}/`, { redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/needs its access token/);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a wrong token with 403 and sets no cookie', async () => {
    for (const token of ['nope', `${fx.host.token}x`, fx.host.token.slice(1), '']) {
      const res = await fetch(`${base}/?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
      expect(res.status, token).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('trades the right token for an HttpOnly SameSite=Strict cookie and a 303 to the URL without it', async () => {
    const res = await fetch(fx.host.url, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const [pair, ...attributes] = (cookies[0] as string).split('; ');
    expect(pair).toBe(fx.cookie);
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
  });

  it('keeps the path and the other query parameters in the redirect', async () => {
    const res = await fetch(`${base}/index.html?view=media&token=${fx.host.token}&x=1`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/index.html?view=media&x=1');
  });

  it('serves index.html for / with the cookie, with the CSP and companion headers', async () => {
    const res = await fetch(`${base}/`, { redirect: 'manual', headers: { Cookie: fx.cookie } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX_HTML);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves scripts with their type, and HEAD without a body', async () => {
    const js = await fetch(`${base}/a.js`, { headers: { Cookie: fx.cookie } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe(A_JS);
    const head = await rawRequest(fx.host.port, { method: 'HEAD', path: '/a.js', headers: { Cookie: fx.cookie } });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(A_JS)));
    expect(head.body).toBe('');
  });

  it('refuses a cookie for another port, or with a wrong token', async () => {
    const wrongPort = fx.cookie.replace(`_${fx.host.port}=`, `_${fx.host.port + 1}=`);
    for (const cookie of [wrongPort, `${fx.cookie}x`, fx.cookie.split('=')[0] + '=']) {
      const res = await fetch(`${base}/`, { redirect: 'manual', headers: { Cookie: cookie } });
      expect(res.status, cookie).toBe(403);
    }
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%2fsecret.txt', '/a.js%00.html', '/missing.js', '/renderer/index.html'])(
    'answers 404 for %s sent raw, serving nothing outside the renderer',
    async (path) => {
      const res = await rawRequest(fx.host.port, { path, headers: { Cookie: fx.cookie } });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('do not serve');
    },
  );

  it('answers 421 to a foreign Host header, even with the cookie (DNS rebinding)', async () => {
    for (const host of [`evil.example:${fx.host.port}`, `127.0.0.1:${fx.host.port + 1}`, '127.0.0.1']) {
      const res = await rawRequest(fx.host.port, { path: '/', headers: { Host: host, Cookie: fx.cookie } });
      expect(res.status, host).toBe(421);
      expect(res.body).not.toContain('studio</body>');
    }
    const tokenExchange = await rawRequest(fx.host.port, { path: `/?token=${fx.host.token}`, headers: { Host: `evil.example:${fx.host.port}` } });
    expect(tokenExchange.status).toBe(421);
    expect(tokenExchange.headers['set-cookie']).toBeUndefined();
  });

  it('accepts localhost:PORT as Host', async () => {
    const res = await rawRequest(fx.host.port, { path: '/', headers: { Host: `localhost:${fx.host.port}`, Cookie: fx.cookie } });
    expect(res.status).toBe(200);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers 405 to %s', async (method) => {
    const res = await fetch(`${base}/`, { method, redirect: 'manual', headers: { Cookie: fx.cookie } });
    expect(res.status).toBe(405);
  });
});
