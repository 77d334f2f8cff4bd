import type sharpModule from 'sharp';

let sharp: Promise<typeof sharpModule> | undefined;

/**
 * sharp, imported on first use: libvips adds ~25 MB to the resident memory of every process
 * that loads it, and most never handle a picture (a web process serving readers, a worker
 * that renders pages). Only uploads and rendition encodes call this.
 */
export const loadSharp = () => (sharp ??= import('sharp').then((m) => m.default));
