/**
 * Limits shared by the back end and the renderer. Kept apart from contract.ts so the renderer can
 * import them without pulling the zod schemas into its bundle.
 */

/** Largest media file accepted, bytes. SQLite's default blob limit is 1e9 bytes. */
export const MAX_MEDIA_BYTES = 950_000_000;
