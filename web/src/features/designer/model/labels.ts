/**
 * Where each edge's label goes: at the middle of its curve when that spot is free, else
 * the nearest free spot a little above, below or beside it, so labels never sit on one
 * another or on a step. Estimated in diagram units from the nodes' boxes and React Flow's
 * bezier formula. Pure.
 */
import { overlaps, type Rect } from './viewport';

export interface LabelInput { id: string; text: string; from: { x: number; y: number }; to: { x: number; y: number }; fromSide?: 'bottom' | 'right' }

/** React Flow's control offset for a bezier (curvature 0.25), as @xyflow/system computes it. */
const control = (distance: number): number => (distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance));

/** Where React Flow puts the label of a bezier from a bottom (or right) handle to a top one: its t = 0.5 point. */
export function bezierMiddle(from: { x: number; y: number }, to: { x: number; y: number }, fromSide: 'bottom' | 'right' = 'bottom'): { x: number; y: number } {
  const c1 = fromSide === 'right' ? { x: from.x + control(to.x - from.x), y: from.y } : { x: from.x, y: from.y + control(to.y - from.y) };
  const c2 = { x: to.x, y: to.y - control(to.y - from.y) };
  return { x: 0.125 * from.x + 0.375 * c1.x + 0.375 * c2.x + 0.125 * to.x, y: 0.125 * from.y + 0.375 * c1.y + 0.375 * c2.y + 0.125 * to.y };
}
export interface Offset { dx: number; dy: number }

/** The label's font (px), its widest line and the width of a character, as the canvas draws them. */
export const LABEL_FONT = 14;
export const LABEL_MAX_WIDTH = 170;
const CHAR = 7.6;
const LINE = 18;
const GAP = 4;

export function labelBox(text: string, at: { x: number; y: number }): Rect {
  const natural = text.length * CHAR + 12;
  const width = Math.min(LABEL_MAX_WIDTH, natural);
  const lines = Math.ceil(natural / LABEL_MAX_WIDTH);
  const height = lines * LINE + 4;
  return { x: at.x - width / 2 - GAP, y: at.y - height / 2 - GAP, width: width + 2 * GAP, height: height + 2 * GAP };
}

const CANDIDATES: Offset[] = [{ dx: 0, dy: 0 }];
// Nearest first: straight up and down, then sideways, then diagonally, further each round.
for (const step of [1, 2, 3, 4, 5, 6]) {
  CANDIDATES.push({ dx: 0, dy: 22 * step }, { dx: 0, dy: -22 * step }, { dx: 60 * step, dy: 0 }, { dx: -60 * step, dy: 0 });
  for (const sx of [1, -1]) for (const sy of [1, -1]) CANDIDATES.push({ dx: sx * 60 * step, dy: sy * 22 * step });
}

const area = (a: Rect, b: Rect): number => (overlaps(a, b)
  ? (Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * (Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))
  : 0);

/** An offset per label id from the middle of its edge; labels are placed in the order given. */
export function placeLabels(labels: readonly LabelInput[], nodes: readonly Rect[]): Map<string, Offset> {
  const placed: Rect[] = [];
  const out = new Map<string, Offset>();
  for (const l of labels) {
    if (!l.text) continue;
    const mid = bezierMiddle(l.from, l.to, l.fromSide);
    let best = { offset: CANDIDATES[0]!, cost: Infinity, box: labelBox(l.text, mid) };
    for (const offset of CANDIDATES) {
      const box = labelBox(l.text, { x: mid.x + offset.dx, y: mid.y + offset.dy });
      const cost = [...placed, ...nodes].reduce((sum, r) => sum + area(box, r), 0);
      if (cost < best.cost) best = { offset, cost, box };
      if (cost === 0) break;
    }
    placed.push(best.box);
    out.set(l.id, best.offset);
  }
  return out;
}
