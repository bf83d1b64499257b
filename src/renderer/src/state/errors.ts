/** Turns anything thrown by an API call into one readable sentence for the UI. */
import { ApiError } from '../../../shared/api/errors.ts';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'DISCONNECTED') return 'Connection to the studio lost.';
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'CANCELLED';
}
