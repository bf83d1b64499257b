/**
 * Errors that cross the API boundary. Both transports (Electron IPC and the loopback web host)
 * carry them as plain `{ code, message, details? }` objects, and the client turns them back into
 * an `ApiError`, so the renderer can branch on `code` and show `message` as it is.
 */
export const API_ERROR_CODES = [
  /** The request did not match the method's input schema. */
  'INVALID_INPUT',
  /** No method of that name exists in the contract. */
  'UNKNOWN_METHOD',
  /** A path that the user did not choose (dialog, recent list or project library). */
  'ACCESS_DENIED',
  /** The method needs an open project and none is open. */
  'NO_PROJECT_OPEN',
  /** A file, project or row that does not exist. */
  'NOT_FOUND',
  /** The file is not a Splat-Portrait project (not SQLite, or another application's database). */
  'NOT_A_PROJECT',
  /** The project file is damaged (truncated, failed integrity check). */
  'PROJECT_CORRUPT',
  /** The project was written by a newer version of the studio. */
  'PROJECT_TOO_NEW',
  /** The file or its folder cannot be written. */
  'READ_ONLY',
  /** A file exists where a new one would be created. */
  'ALREADY_EXISTS',
  /** The disk is full. */
  'DISK_FULL',
  /** An imported file is neither a readable image nor readable audio, or is empty/corrupt. */
  'UNSUPPORTED_MEDIA',
  /** A file bigger than the studio accepts. */
  'TOO_LARGE',
  /** A model pack whose files do not match its model.json, or that this studio cannot drive. */
  'MODEL_PACK_INVALID',
  /** No face was found in the portrait. */
  'NO_FACE',
  /** The face in the portrait is too small to build a head from. */
  'FACE_TOO_SMALL',
  /** A system tool the studio needs (ffprobe, ffmpeg) is missing. */
  'MISSING_TOOL',
  /** The request was cancelled by the caller. */
  'CANCELLED',
  /** The transport is gone (window closed, socket dropped). */
  'DISCONNECTED',
  /**
   * The engine process died mid-task (native crash, out of memory, killed). The project is
   * untouched and the next request starts a fresh engine, so the user can simply retry.
   */
  'ENGINE_CRASHED',
  /** Anything unexpected: a bug. The message says what happened. */
  'INTERNAL',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
  /** Optional, JSON-safe extra facts (the path, the schema version found, ...). */
  details?: Record<string, string | number | boolean | null>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly details: ApiErrorData['details'];

  constructor(code: ApiErrorCode, message: string, details?: ApiErrorData['details']) {
    super(message);
    this.code = code;
    this.details = details;
  }

  toData(): ApiErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.message, data.details);
  }
}

export function isApiErrorData(value: unknown): value is ApiErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    (API_ERROR_CODES as readonly string[]).includes(v.code) &&
    typeof v.message === 'string'
  );
}

/** Any thrown value as error data fit to cross the boundary; unknown errors become INTERNAL. */
export function toApiErrorData(error: unknown): ApiErrorData {
  if (error instanceof ApiError) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}
