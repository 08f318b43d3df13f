import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { FastTrueTypeSubset } from '../src/slips/fontSubset';

// Every DejaVu face the package ships, not only the eight slips use, so a face added later is covered.
const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FACES = readdirSync(dir).filter((f) => f.endsWith('.ttf')).sort();

interface Internals { numGlyphs: number; createSubset(): { includeGlyph(g: number): number; encode(): Uint8Array } }

/** A fresh view of the font, as each document gets one (glyph cache of its own). */
const view = (font: Font): Font & Internals => Object.assign(Object.create(font) as Font & Internals, { _glyphs: {} });

/** Deterministic glyph picks: a linear congruential sequence seeded by the case number. */
function picks(seed: number, count: number, max: number): number[] {
  let x = seed * 2654435761 % 2 ** 32;
  return Array.from({ length: count }, () => { x = (x * 1664525 + 1013904223) % 2 ** 32; return x % max; });
}

describe('FastTrueTypeSubset', () => {
  it.each(FACES)('should write the same bytes as fontkit\'s subset for %s', (file) => {
    // given a face, and glyph lists: text laid out in Vietnamese, then glyphs from anywhere in the
    // font (composites among them, whose components are added at the end), in first-met order
    const font = create(readFileSync(join(dir, file)));
    const n = (font as unknown as Internals).numGlyphs;
    const laidOut = (view(font).layout('Cộng hòa xã hội chủ nghĩa Việt Nam – Ỷ Ữ ỡ ẵ Ặ ỗ 漢 ½ ﬁ') as { glyphs: { id: number }[] }).glyphs.map((g) => g.id);
    const cases = [[], laidOut, ...[1, 2, 3, 4, 5].map((s) => picks(s, 20 * s, n)), [...laidOut, ...picks(9, 40, n), ...laidOut]];

    for (const gids of cases) {
      // when both subsets are given the same glyphs in the same order
      const ours = new FastTrueTypeSubset(font);
      const theirs = view(font).createSubset();
      for (const g of gids) expect(ours.includeGlyph(g)).toBe(theirs.includeGlyph(g));

      // then the embedded font programs are identical
      expect(Buffer.from(ours.encode()).equals(Buffer.from(theirs.encode()))).toBe(true);
    }
  });
});
