/**
 * The side-by-side picture of one clip: rows real / repeat source / static avatar / model over
 * the same few frames, then the model's yaw sweep, each row labelled on the left.
 */
import sharp from 'sharp';
import type { ClipSheet } from './eval-clip.ts';

const LABEL_WIDTH = 150;
const GAP = 4;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function writeContactSheet(path: string, sheet: ClipSheet, modelLabel: string): Promise<void> {
  const t = sheet.size;
  const rows: { label: string; tiles: Uint8Array[]; notes: string[] }[] = [
    { label: 'real', tiles: sheet.rows.real, notes: sheet.frames.map((n) => `frame ${n}`) },
    { label: 'repeat source', tiles: sheet.rows.repeat_source, notes: [] },
    { label: 'static avatar', tiles: sheet.rows.static_only, notes: [] },
    { label: modelLabel, tiles: sheet.rows.model, notes: [] },
    { label: 'model yaw sweep', tiles: sheet.sweep.tiles, notes: sheet.sweep.yaws.map((y) => `yaw ${y > 0 ? '+' : ''}${y}°`) },
  ];
  const columns = Math.max(...rows.map((r) => r.tiles.length));
  const width = LABEL_WIDTH + columns * (t + GAP);
  const height = rows.length * (t + GAP);
  const canvas = new Uint8Array(width * height * 3).fill(24);
  const svg: string[] = [];
  rows.forEach((row, ri) => {
    const y0 = ri * (t + GAP);
    svg.push(`<text x="8" y="${y0 + t / 2}" font-family="sans-serif" font-size="15" fill="#eee">${escapeXml(row.label)}</text>`);
    row.tiles.forEach((tile, ci) => {
      const x0 = LABEL_WIDTH + ci * (t + GAP);
      for (let y = 0; y < t; y++) canvas.set(tile.subarray(y * t * 3, (y + 1) * t * 3), ((y0 + y) * width + x0) * 3);
      const note = row.notes[ci];
      if (note) svg.push(`<text x="${x0 + 6}" y="${y0 + 18}" font-family="sans-serif" font-size="14" fill="#fff" stroke="#000" stroke-width="0.6">${escapeXml(note)}</text>`);
    });
  });
  const overlay = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${svg.join('')}</svg>`);
  await sharp(Buffer.from(canvas), { raw: { width, height, channels: 3 } })
    .composite([{ input: overlay, top: 0, left: 0 }])
    .png()
    .toFile(path);
}
