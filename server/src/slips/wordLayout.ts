import type { Font } from 'fontkit';

/**
 * Word layouts shared by every document of the process. pdfkit lays text out word by word
 * through fontkit (substitution and positioning, GSUB and GPOS) and caches the runs only per
 * document; a slip's printed form is mostly the same words, so each document repeated the
 * same shaping, about a third of its rendering time.
 *
 * A word's run is a function of the word, the font's tables and one piece of document state:
 * the characters each glyph object was first created with (fontkit keeps them on the glyph,
 * feeds them to shaping, and pdfkit writes them into the ToUnicode map; see `documentView` in
 * ./fonts.ts). So the run is recorded once on a recording view of the font, with every glyph
 * fontkit asked for and the characters it asked with, and replayed in a document only when
 * each of those glyphs is either new to the document or already carries the characters it
 * carried in the recording; the replay asks the document's font for the same glyphs in the
 * same order, so the document ends in the state fontkit itself would have left it in. Any
 * other case is laid out by fontkit as before. The bytes of a slip do not change
 * (server/test/slips.test.ts renders each slip warm and cold and compares them).
 */

interface Glyph { id: number; codePoints: number[]; advanceWidth: number }

/** fontkit's internals used here; fontkit ships no types. */
interface FontInternals {
  _glyphs: Record<number, Glyph | undefined>;
  getGlyph(id: number, characters?: number[]): Glyph | null;
  layout(text: string, features?: unknown): { glyphs: (Glyph | null)[]; positions: Position[] };
}

interface Position { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }

interface Recorded {
  /**
   * The first time fontkit asked the font for each glyph while laying the word out, in order
   * (a later ask for the same glyph returns the object the first made), and the characters the
   * glyph carried once the word was laid out in a fresh document.
   */
  first: { id: number; characters: number[]; carried: number[] }[];
  /** The run: glyph ids and positions in font units. */
  ids: number[];
  positions: Position[];
}

/** A glyph fontkit asked the font for, and the characters it asked with. */
interface Call { id: number; characters: number[] }

interface Face {
  recorder: FontInternals;
  /** The asks of the word being recorded; null between recordings. */
  calls: Call[] | null;
  words: Map<string, Recorded>;
}

/** Distinct words kept per face before the cache starts over (names and addresses vary without end). */
const MAX_WORDS = 20_000;

const faces = new WeakMap<Font, Face>();

function faceOf(font: Font): Face {
  const face = faces.get(font);
  if (face) return face;
  const base = font as unknown as FontInternals;
  // One recording view per face: its layout engine (GSUB and GPOS processors) is built once.
  const recorder = Object.create(base) as FontInternals;
  const f: Face = { recorder, calls: null, words: new Map() };
  recorder.getGlyph = function (this: FontInternals, id: number, characters: number[] = []) {
    f.calls?.push({ id, characters: [...characters] });
    return base.getGlyph.call(this, id, characters);
  };
  faces.set(font, f);
  return f;
}

function record(face: Face, text: string): Recorded {
  const r = face.recorder;
  // A fresh glyph cache: the recording is what a document meeting these glyphs first would see.
  r._glyphs = {};
  const calls: Call[] = [];
  face.calls = calls;
  let run: ReturnType<FontInternals['layout']>;
  try {
    run = (Object.getPrototypeOf(r) as FontInternals).layout.call(r, text);
  } finally {
    face.calls = null;
  }
  const seen = new Set<number>();
  const first: Recorded['first'] = [];
  for (const c of calls) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    first.push({ ...c, carried: r._glyphs[c.id]?.codePoints.slice() ?? [] });
  }
  return {
    first,
    ids: run.glyphs.map((g) => (g ? g.id : -1)),
    positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })),
  };
}

const sameList = (a: number[], b: number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A glyph run as pdfkit reads fontkit's: glyphs, positions it scales in place, the summed advance. */
class Run {
  constructor(readonly glyphs: (Glyph | null)[], readonly positions: Position[]) {}
  get advanceWidth(): number {
    let w = 0;
    for (const p of this.positions) w += p.xAdvance;
    return w;
  }
}

/**
 * `layout` for a document's view of `font`: the recorded run when replaying it leaves the
 * document as fontkit would, else fontkit's own layout. Runs with features are not cached.
 */
export function cachedLayout(font: Font): (this: FontInternals, text: string, features?: unknown) => unknown {
  const base = font as unknown as FontInternals;
  return function layout(this: FontInternals, text: string, features?: unknown) {
    if (features !== undefined || typeof text !== 'string') return base.layout.call(this, text, features);
    const face = faceOf(font);
    let rec = face.words.get(text);
    if (!rec) {
      rec = record(face, text);
      if (face.words.size >= MAX_WORDS) face.words.clear();
      face.words.set(text, rec);
    }
    const own = this._glyphs;
    for (const c of rec.first) {
      const g = own[c.id];
      if (g && !sameList(g.codePoints, c.carried)) return base.layout.call(this, text, features);
    }
    for (const c of rec.first) if (!own[c.id]) this.getGlyph(c.id, c.characters);
    return new Run(
      rec.ids.map((id) => (id < 0 ? null : this.getGlyph(id))),
      rec.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })),
    );
  };
}
