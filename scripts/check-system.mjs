// Checks the system tools the tests use, and says how to get any that is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const problems = [];
try {
  execFileSync(process.env.SPLAT_STUDIO_FFPROBE ?? 'ffprobe', ['-version'], { stdio: 'ignore' });
} catch {
  problems.push('ffprobe/ffmpeg not found: sudo apt-get install ffmpeg (Debian/Ubuntu), brew install ffmpeg (macOS)');
}
const chromium = process.env.SPLAT_STUDIO_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  problems.push(`Chromium not found at ${chromium} (end-to-end tests): sudo apt-get install chromium, or set SPLAT_STUDIO_CHROMIUM`);
}
if (problems.length > 0) {
  console.error(`Missing system packages:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
