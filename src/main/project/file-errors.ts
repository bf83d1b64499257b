/** Turns file-system and SQLite failures into readable API errors that name the file. */
import { ApiError } from '../../shared/api/errors.ts';

interface CodedError {
  code?: unknown;
  message?: unknown;
}

export function toFileApiError(error: unknown, path: string, action: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = typeof (error as CodedError)?.code === 'string' ? ((error as CodedError).code as string) : '';
  const detail = error instanceof Error ? error.message : String(error);
  const details = { path };
  switch (code) {
    case 'ENOENT':
      return new ApiError('NOT_FOUND', `Cannot ${action}: ${path} does not exist.`, details);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return new ApiError('READ_ONLY', `Cannot ${action}: ${path} is in a read-only location or not accessible. Choose a folder you can write to.`, details);
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return new ApiError('DISK_FULL', `Cannot ${action}: the disk holding ${path} is full. Free some space and try again; the project was not changed.`, details);
    case 'EEXIST':
      return new ApiError('ALREADY_EXISTS', `Cannot ${action}: ${path} already exists.`, details);
    case 'SQLITE_NOTADB':
      return new ApiError('NOT_A_PROJECT', `${path} is not a Splat-Portrait project.`, details);
    case 'SQLITE_CORRUPT':
      return new ApiError('PROJECT_CORRUPT', `${path} is damaged (${detail}). Restore it from a backup.`, details);
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new ApiError('READ_ONLY', `Cannot ${action}: ${path} cannot be written.`, details);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR_SHORT_READ')) {
    return new ApiError('PROJECT_CORRUPT', `${path} is damaged (${detail}). Restore it from a backup.`, details);
  }
  return new ApiError('INTERNAL', `Cannot ${action} ${path}: ${detail}`, details);
}
