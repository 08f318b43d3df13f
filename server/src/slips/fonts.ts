import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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

let cache: Map<SlipFont, Buffer> | undefined;

/**
 * The DejaVu faces as buffers, read once per process; reads the disk on first call.
 * DejaVu covers every precomposed Vietnamese letter, which pdfkit's built-in Helvetica
 * (WinAnsi only) does not, so the standard fonts must never be used on a slip.
 */
export function slipFonts(): ReadonlyMap<SlipFont, Buffer> {
  if (!cache) {
    // Resolved through the package, not the cwd, so the server finds the fonts wherever it starts.
    const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    cache = new Map(Object.entries(FILES).map(([name, file]) => [name as SlipFont, readFileSync(join(dir, file))]));
  }
  return cache;
}
