/**
 * Test media made on the fly: a portrait PNG (a drawn face on a gradient, via sharp) and speech-
 * like WAV tones (16-bit PCM), so the tests need no checked-in binaries.
 */
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';

/** A 512x512 PNG: a warm gradient with a simple face, enough to look like a portrait. */
export async function writePortraitPng(path: string, size = 512): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2f4a7a"/><stop offset="1" stop-color="#c9795b"/>
    </linearGradient>
    <radialGradient id="skin" cx="0.45" cy="0.4" r="0.7">
      <stop offset="0" stop-color="#f3c9a5"/><stop offset="1" stop-color="#c98f69"/>
    </radialGradient>
  </defs>
  <rect width="512" height="512" fill="url(#bg)"/>
  <path d="M96 512c12-92 80-140 160-140s148 48 160 140z" fill="#27303d"/>
  <rect x="222" y="318" width="68" height="72" rx="24" fill="#d9a27c"/>
  <ellipse cx="256" cy="226" rx="112" ry="138" fill="url(#skin)"/>
  <path d="M144 196c0-88 52-120 112-120s112 32 112 120c-24-44-60-62-112-62s-88 18-112 62z" fill="#3b2a22"/>
  <ellipse cx="214" cy="226" rx="16" ry="10" fill="#fff"/><ellipse cx="298" cy="226" rx="16" ry="10" fill="#fff"/>
  <circle cx="216" cy="227" r="7" fill="#2a3b52"/><circle cx="296" cy="227" r="7" fill="#2a3b52"/>
  <path d="M190 200q24-14 48-2M274 198q24-12 48 2" stroke="#3b2a22" stroke-width="6" fill="none" stroke-linecap="round"/>
  <path d="M256 240q-10 34 2 44q8 4 14-2" stroke="#b47a58" stroke-width="5" fill="none" stroke-linecap="round"/>
  <path d="M218 308q38 22 76 0" stroke="#9c4a4a" stroke-width="8" fill="none" stroke-linecap="round"/>
</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(path);
}

export interface ToneOptions {
  seconds: number;
  /** Hz; default 16000. */
  sampleRate?: number;
  /** Hz of the tone; default 220. */
  frequency?: number;
}

/** A 16-bit mono PCM WAV of a tone with a syllable-like amplitude envelope. */
export function toneWav({ seconds, sampleRate = 16_000, frequency = 220 }: ToneOptions): Buffer {
  const frames = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) {
    const t = i / sampleRate;
    const envelope = 0.5 - 0.5 * Math.cos(2 * Math.PI * 3 * t); // three "syllables" a second
    const s = Math.sin(2 * Math.PI * frequency * t) * 0.6 * envelope;
    data.writeInt16LE(Math.round(s * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export async function writeToneWav(path: string, options: ToneOptions): Promise<void> {
  await writeFile(path, toneWav(options));
}
