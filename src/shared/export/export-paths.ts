/** Where exports go and how their names carry the format, for the renderer's dialog and the shell's. */

/** The project library's folder for exports: the default place, and where the save dialog opens. */
export const EXPORT_FOLDER = 'Exports';

/** `path` without a trailing one of `extensions` (case-insensitive; empty ones are ignored). */
export function stripExtension(path: string, extensions: Iterable<string>): string {
  const lower = path.toLowerCase();
  for (const ext of extensions) if (ext && lower.endsWith(ext.toLowerCase())) return path.slice(0, -ext.length);
  return path;
}
