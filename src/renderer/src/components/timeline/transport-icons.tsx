/** Transport and editing glyphs for the timeline, drawn like components/icons.tsx (24 unit grid, currentColor). */
import type { ReactNode } from 'react';

function Glyph({ size = 16, children, filled }: { size?: number; children: ReactNode; filled?: boolean }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const PlayGlyph = () => (
  <Glyph filled>
    <path d="M7 5l12 7-12 7z" />
  </Glyph>
);
export const PauseGlyph = () => (
  <Glyph filled>
    <rect x="6" y="5" width="4" height="14" rx="1" />
    <rect x="14" y="5" width="4" height="14" rx="1" />
  </Glyph>
);
export const LoopGlyph = () => (
  <Glyph>
    <path d="M17 2l3 3-3 3" />
    <path d="M4 11V9a4 4 0 014-4h12" />
    <path d="M7 22l-3-3 3-3" />
    <path d="M20 13v2a4 4 0 01-4 4H4" />
  </Glyph>
);
export const ToStartGlyph = () => (
  <Glyph>
    <path d="M6 5v14" />
    <path d="M18 6l-9 6 9 6z" />
  </Glyph>
);
export const ToEndGlyph = () => (
  <Glyph>
    <path d="M18 5v14" />
    <path d="M6 6l9 6-9 6z" />
  </Glyph>
);
export const SplitGlyph = () => (
  <Glyph>
    <circle cx="6" cy="6" r="3" />
    <circle cx="6" cy="18" r="3" />
    <path d="M20 4L8.12 15.88M14.47 14.48L20 20M8.12 8.12L12 12" />
  </Glyph>
);
export const MagnetGlyph = () => (
  <Glyph>
    <path d="M6 3v9a6 6 0 0012 0V3" />
    <path d="M6 7h4M14 7h4" />
  </Glyph>
);
export const DiamondGlyph = () => (
  <Glyph>
    <path d="M12 3l9 9-9 9-9-9z" />
  </Glyph>
);
export const FreezeGlyph = () => (
  <Glyph>
    <path d="M12 2v20M4.9 6.5l14.2 11M4.9 17.5l14.2-11" />
  </Glyph>
);
export const ZoomInGlyph = () => (
  <Glyph>
    <circle cx="11" cy="11" r="7" />
    <path d="M21 21l-4.35-4.35M8 11h6M11 8v6" />
  </Glyph>
);
export const ZoomOutGlyph = () => (
  <Glyph>
    <circle cx="11" cy="11" r="7" />
    <path d="M21 21l-4.35-4.35M8 11h6" />
  </Glyph>
);
export const FitGlyph = () => (
  <Glyph>
    <path d="M4 9V5h4M20 9V5h-4M4 15v4h4M20 15v4h-4" />
  </Glyph>
);
export const KeyboardGlyph = () => (
  <Glyph>
    <rect x="2" y="6" width="20" height="12" rx="2" />
    <path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" />
  </Glyph>
);
