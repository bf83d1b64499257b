/**
 * The avatar's background as a flat card in head space, so the preview shows it as the export
 * does: the geometry and texels live in src/shared/camera/background-card.ts, which the export
 * uses to draw the same card behind every frame (issue 7).
 */
export { BACKDROP_GREY, DRAWN_CARD_UVS, backgroundTexels, cardCorners, cardDepth, drawnCardCorners, type CardCorners } from '../../../shared/camera/background-card.ts';
