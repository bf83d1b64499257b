/**
 * Project files the operating system hands us: on the command line (Windows, Linux, a second
 * instance started by a double-click) or through macOS 'open-file'.
 */
import { isAbsolute, resolve } from 'node:path';
import { PROJECT_EXTENSION } from '../../shared/project/types.ts';

/** The .splatproj paths among command-line arguments, made absolute against `cwd`. */
export function projectPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const paths: string[] = [];
  // argv[0] is the executable; Chromium switches start with '-'.
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') || !isProjectPath(arg)) continue;
    paths.push(isAbsolute(arg) ? arg : resolve(cwd, arg));
  }
  return paths;
}

export function isProjectPath(path: string): boolean {
  return path.toLowerCase().endsWith(PROJECT_EXTENSION);
}
