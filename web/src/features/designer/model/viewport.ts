/**
 * Where "fit view" puts the diagram: as large as fits, but never so small that a step's
 * name falls under about 10 px on screen (READABLE_ZOOM × the 15 px name). A diagram too
 * big for that is shown from its start (top left) and scrolled, not shrunk. (The minimap
 * has its own strip beside the drawing, so nothing here makes room for it.) Pure.
 */
export interface Rect { x: number; y: number; width: number; height: number }
export interface Viewport { x: number; y: number; zoom: number }

export const READABLE_ZOOM = 0.7;
export const MAX_FIT_ZOOM = 1.1;
const PAD = 24;

export function readableViewport(bounds: Rect, width: number, height: number): Viewport {
  const availW = Math.max(1, width - 2 * PAD);
  const availH = Math.max(1, height - 2 * PAD);
  const fit = Math.min(availW / Math.max(1, bounds.width), availH / Math.max(1, bounds.height));
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(READABLE_ZOOM, fit));
  const w = bounds.width * zoom;
  const h = bounds.height * zoom;
  const x = (w <= availW ? PAD + (availW - w) / 2 : PAD) - bounds.x * zoom;
  const y = (h <= availH ? PAD + (availH - h) / 2 : PAD) - bounds.y * zoom;
  return { x, y, zoom };
}

/** Whether two screen rectangles overlap (touching edges do not). */
export const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
