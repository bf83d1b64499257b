/**
 * Hands bytes to the user as a file download: a Blob behind an <a download>. The browser saves
 * it to the downloads folder; Electron asks where to save it. Both builds take this one path.
 */
export function saveBytes(fileName: string, bytes: Uint8Array, mime: string): void {
  const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; a short delay covers slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
