/** Names the operating system knows the app by; electron-builder.yml repeats them (a test checks). */
export const APP_ID = 'studio.splatportrait.app';
export const PRODUCT_NAME = 'Splat-Portrait Studio';
