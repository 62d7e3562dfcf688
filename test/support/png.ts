/** Decoding a PNG that crossed the wire with pngjs (not with resvg, which drew it): its size and how much of it is drawn on. */
import { PNG } from 'pngjs';

export type DecodedPng = { width: number; height: number; /** Share of pixels that are not (near) white. */ inkShare: number };

export function decodePng(data: Buffer): DecodedPng {
  const image = PNG.sync.read(data);
  let inked = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i]! < 235 || image.data[i + 1]! < 235 || image.data[i + 2]! < 235) inked++;
  }
  return { width: image.width, height: image.height, inkShare: inked / (image.width * image.height) };
}
