/** The web host's per-run token: generation, comparison, cookie and Host/Origin checks. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cookieName, isAllowedHost, isAllowedOrigin, newToken, sessionCookie, tokenFromCookie, tokensEqual } from '../../../src/main/host/token-auth.ts';

const withCookie = (cookie: string | undefined) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;

describe('token-auth', () => {
  it('makes a fresh 256-bit URL-safe token every time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => newToken()));
    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      // 32 random bytes in unpadded base64url: 43 characters.
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(encodeURIComponent(token)).toBe(token);
    }
  });

  it('compares tokens exactly, whatever their lengths', () => {
    const token = newToken();
    expect(tokensEqual(token, token.slice())).toBe(true);
    expect(tokensEqual(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(tokensEqual(token, token.slice(0, -1))).toBe(false);
    expect(tokensEqual(token, `${token}x`)).toBe(false);
    expect(tokensEqual('', token)).toBe(false);
    expect(tokensEqual('', '')).toBe(true);
    // Same UTF-16 length, different byte length: must not throw in timingSafeEqual.
    expect(tokensEqual('é', 'e')).toBe(false);
  });

  it('names the cookie after the port, so two hosts on one machine do not share it', () => {
    expect(cookieName(4321)).toBe('splat_studio_token_4321');
    expect(cookieName(4321)).not.toBe(cookieName(4322));
  });

  it('writes an HttpOnly, SameSite=Strict cookie for the whole site', () => {
    const cookie = sessionCookie('tok', 8080);
    const [pair, ...attributes] = cookie.split('; ');
    expect(pair).toBe('splat_studio_token_8080=tok');
    expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
  });

  it('reads its own cookie among others, and nothing else', () => {
    expect(tokenFromCookie(withCookie(undefined), 80)).toBeNull();
    expect(tokenFromCookie(withCookie(''), 80)).toBeNull();
    expect(tokenFromCookie(withCookie('splat_studio_token_80=abc'), 80)).toBe('abc');
    expect(tokenFromCookie(withCookie('theme=dark;  splat_studio_token_80=abc ; x=1'), 80)).toBe('abc');
    // Another port's cookie, or a name that only contains ours, is not ours.
    expect(tokenFromCookie(withCookie('splat_studio_token_81=abc'), 80)).toBeNull();
    expect(tokenFromCookie(withCookie('xsplat_studio_token_80=abc'), 80)).toBeNull();
    // base64 padding or '=' inside a value survives.
    expect(tokenFromCookie(withCookie('splat_studio_token_80=a=b=='), 80)).toBe('a=b==');
  });

  it('accepts only our loopback Host names with our port', () => {
    expect(isAllowedHost('127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedHost('localhost:5000', 5000)).toBe(true);
    for (const host of [undefined, '', '127.0.0.1', '127.0.0.1:5001', 'evil.example:5000', 'localhost.evil.example:5000', '[::1]:5000', '0.0.0.0:5000']) {
      expect(isAllowedHost(host, 5000), String(host)).toBe(false);
    }
  });

  it('accepts only our own http origins', () => {
    expect(isAllowedOrigin('http://127.0.0.1:5000', 5000)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5000', 5000)).toBe(true);
    for (const origin of [undefined, 'null', 'https://127.0.0.1:5000', 'http://127.0.0.1:5001', 'http://evil.example:5000', 'http://127.0.0.1:5000/']) {
      expect(isAllowedOrigin(origin, 5000), String(origin)).toBe(false);
    }
  });
});
