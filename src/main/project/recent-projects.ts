/**
 * The recent-projects list, kept as JSON in the studio's config folder and written atomically
 * (temp file + rename), newest first.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RecentProject } from '../../shared/project/types.ts';

const MAX_RECENT = 20;
const stored = z.array(z.object({ path: z.string(), name: z.string(), lastOpenedAt: z.string() }));
type StoredEntry = z.infer<typeof stored>[number];

export class RecentProjects {
  private readonly file: string;

  constructor(configDir: string) {
    this.file = join(configDir, 'recent-projects.json');
  }

  private read(): StoredEntry[] {
    try {
      const parsed = stored.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : [];
    } catch {
      return []; // missing or unreadable: start a new list rather than fail the start screen
    }
  }

  private write(entries: StoredEntry[]): void {
    mkdirSync(join(this.file, '..'), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(entries, null, 2));
    renameSync(temp, this.file);
  }

  list(): RecentProject[] {
    return this.read().map((e) => ({ ...e, exists: existsSync(e.path) }));
  }

  paths(): string[] {
    return this.read().map((e) => e.path);
  }

  touch(path: string, name: string): void {
    const rest = this.read().filter((e) => e.path !== path);
    this.write([{ path, name, lastOpenedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENT));
  }

  forget(path: string): void {
    this.write(this.read().filter((e) => e.path !== path));
  }
}
