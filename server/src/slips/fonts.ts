import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { create, type Font } from 'fontkit';
import { canSubsetFast, FastTrueTypeSubset, glyphWithSharedMetrics } from './fontSubset';
import { cachedLayout } from './wordLayout';

/** Font names registered on every slip document. */
export type SlipFont =
  | 'serif' | 'serif-bold' | 'serif-italic' | 'serif-bold-italic'
  | 'serif-condensed' | 'serif-condensed-bold' | 'sans' | 'sans-bold';

const FILES: Record<SlipFont, string> = {
  serif: 'DejaVuSerif.ttf',
  'serif-bold': 'DejaVuSerif-Bold.ttf',
  'serif-italic': 'DejaVuSerif-Italic.ttf',
  'serif-bold-italic': 'DejaVuSerif-BoldItalic.ttf',
  // Condensed faces keep table columns (time, result) on one or two lines.
  'serif-condensed': 'DejaVuSerifCondensed.ttf',
  'serif-condensed-bold': 'DejaVuSerifCondensed-Bold.ttf',
  sans: 'DejaVuSans.ttf',
  'sans-bold': 'DejaVuSans-Bold.ttf',
};

let cache: Map<SlipFont, Font> | undefined;

/**
 * The DejaVu faces, read and parsed once per process; reads the disk on first call.
 * DejaVu covers every precomposed Vietnamese letter, which pdfkit's built-in Helvetica
 * (WinAnsi only) does not, so the standard fonts must never be used on a slip.
 *
 * Parsed once, not per document: given bytes, pdfkit parses the font anew for every document,
 * and fontkit then decodes the substitution and positioning tables (GSUB, GPOS) again on the
 * first line laid out — most of a slip's rendering time, paid inside the action that issues
 * it. Never handed to pdfkit as it is: see `documentView`.
 */
function slipFonts(): ReadonlyMap<SlipFont, Font> {
  if (!cache) {
    // Resolved through the package, not the cwd, so the server finds the fonts wherever it starts.
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    cache = new Map(Object.entries(FILES).map(([name, file]) => [name as SlipFont, create(readFileSync(join(dir, file)))]));
  }
  return cache;
}

/**
 * One document's view of a parsed font: it shares the decoded tables (decoded from the font's
 * bytes alone, never written after) and starts with an empty glyph cache, and its own layout
 * engine for words not replayed, as a font parsed for that document alone would. The glyph
 * cache cannot be shared:
 * fontkit keeps the characters a glyph was first met with, and pdfkit writes them into the
 * PDF's ToUnicode map, so a glyph first met without characters in another document (a
 * component of a composite letter, added while embedding) would lose its letter in copy and
 * search, and the bytes of an issued slip would depend on what the process drew before.
 * `_glyphs` is fontkit's own field (its TTFFont constructor sets it so). Its subset is
 * `FastTrueTypeSubset`, the same bytes as fontkit's written from tables read once (./fontSubset.ts),
 * and its word layouts are shared by the process where that gives the same bytes (./wordLayout.ts).
 */
function documentView(font: Font): Font {
  const fast = canSubsetFast(font);
  return Object.assign(Object.create(font) as Font, {
    _glyphs: {},
    layout: cachedLayout(font),
    ...(fast ? { createSubset: () => new FastTrueTypeSubset(font), getGlyph: glyphWithSharedMetrics(font) } : {}),
  });
}

/** Registers the slip faces on a document under their `SlipFont` names; parses them on first call. */
export function registerSlipFonts(doc: PDFKit.PDFDocument): void {
  // pdfkit takes a fontkit font wherever it takes font bytes (its font factory checks for
  // `layout`), which @types/pdfkit does not declare.
  for (const [name, font] of slipFonts()) doc.registerFont(name, documentView(font) as unknown as Uint8Array);
}
