/** Drag and drop inside the studio: a media item dragged from the bin carries its id under this type. */
export const MEDIA_DRAG_TYPE = 'application/x-splat-portrait-media';

export function isMediaDrag(types: readonly string[]): boolean {
  return types.includes(MEDIA_DRAG_TYPE);
}

export function isFileDrag(types: readonly string[]): boolean {
  return types.includes('Files');
}
