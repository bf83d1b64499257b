// Makes the bundled demo media in resources/demo/ (committed; run again only to change them):
//  - portrait.png: a painted-style portrait drawn from SVG by sharp (the project owns it outright)
//  - speech.wav:   a line spoken by Debian's espeak-ng (apt install espeak-ng)
// Usage: node scripts/make-demo-assets.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

const out = join(import.meta.dirname, '..', 'resources', 'demo');
mkdirSync(out, { recursive: true });

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
  <defs>
    <radialGradient id="bg" cx="50%" cy="40%" r="75%"><stop offset="0" stop-color="#5b6b84"/><stop offset="1" stop-color="#1f2633"/></radialGradient>
    <radialGradient id="skin" cx="45%" cy="40%" r="65%"><stop offset="0" stop-color="#f3c9a8"/><stop offset="0.7" stop-color="#d9a07c"/><stop offset="1" stop-color="#b57b5a"/></radialGradient>
    <linearGradient id="hair" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3a2418"/><stop offset="1" stop-color="#1c110b"/></linearGradient>
    <linearGradient id="shirt" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2f6f8f"/><stop offset="1" stop-color="#1b4357"/></linearGradient>
  </defs>
  <rect width="512" height="512" fill="url(#bg)"/>
  <path d="M96 512 C110 420 170 385 256 380 C342 385 402 420 416 512 Z" fill="url(#shirt)"/>
  <path d="M222 330 L222 392 C240 404 272 404 290 392 L290 330 Z" fill="#c98d6a"/>
  <path d="M150 230 C140 120 200 70 262 72 C335 74 380 130 366 240 C360 200 340 160 300 150 C250 140 200 160 170 190 Z" fill="url(#hair)"/>
  <ellipse cx="256" cy="240" rx="100" ry="128" fill="url(#skin)"/>
  <ellipse cx="156" cy="250" rx="14" ry="26" fill="#c98d6a"/>
  <ellipse cx="356" cy="250" rx="14" ry="26" fill="#c98d6a"/>
  <path d="M160 200 C170 120 230 100 270 104 C320 108 350 140 354 196 C330 160 290 140 250 142 C210 146 180 170 160 200 Z" fill="url(#hair)"/>
  <path d="M196 206 Q218 194 240 204" stroke="#3a2418" stroke-width="6" fill="none" stroke-linecap="round"/>
  <path d="M272 204 Q294 194 316 206" stroke="#3a2418" stroke-width="6" fill="none" stroke-linecap="round"/>
  <ellipse cx="218" cy="232" rx="17" ry="10" fill="#fbf6f0"/>
  <ellipse cx="294" cy="232" rx="17" ry="10" fill="#fbf6f0"/>
  <circle cx="218" cy="232" r="8" fill="#4a6a3a"/><circle cx="294" cy="232" r="8" fill="#4a6a3a"/>
  <circle cx="218" cy="232" r="4" fill="#111"/><circle cx="294" cy="232" r="4" fill="#111"/>
  <circle cx="221" cy="229" r="2" fill="#fff"/><circle cx="297" cy="229" r="2" fill="#fff"/>
  <path d="M256 240 Q250 272 240 284 Q256 292 272 284" stroke="#a8694a" stroke-width="4" fill="none" stroke-linecap="round"/>
  <path d="M222 314 Q256 336 290 314 Q256 326 222 314 Z" fill="#b0524a" stroke="#8e3f38" stroke-width="3" stroke-linejoin="round"/>
  <ellipse cx="196" cy="286" rx="18" ry="10" fill="#e89c84" opacity="0.35"/>
  <ellipse cx="316" cy="286" rx="18" ry="10" fill="#e89c84" opacity="0.35"/>
</svg>`;
await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toFile(join(out, 'portrait.png'));

const line = 'Hello! I am your splat portrait. Drop in any line of speech, and I will say it.';
execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', join(out, 'speech.wav'), line]);
console.log(`wrote ${join(out, 'portrait.png')} and ${join(out, 'speech.wav')}`);
