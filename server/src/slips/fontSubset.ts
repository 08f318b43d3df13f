import type { Font } from 'fontkit';

/**
 * The TrueType subset pdfkit embeds for a font, written byte for byte as fontkit's own
 * `TTFSubset.encode` writes it, from tables read once per process.
 *
 * fontkit decodes every glyph it embeds into points (to find a composite's components),
 * reads its metrics through a fresh glyph object, and re-encodes the control values,
 * programs and headers number by number through restructure: about a third of a slip's
 * rendering time, paid again for every document. Here a glyph's bytes, components and
 * metrics are looked up once per process, the unchanging tables are copied as fontkit wrote
 * them once, and only `loca`, `glyf`, `hmtx` and two counts are written per document. The
 * output is the same bytes (server/test/font-subset.test.ts compares them with fontkit's for
 * every face), so issued slips keep their sha256.
 */

/** fontkit's internals read here (fontkit ships no types; `fontkit.d.ts` declares only the public part). */
interface FontInternals {
  stream: { buffer: Uint8Array };
  directory: { tables: Record<string, { offset: number; length: number } | undefined> };
  loca: { version: number; offsets: number[] };
  _variationProcessor?: unknown;
  getGlyph(gid: number): {
    advanceWidth: number;
    _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
    _getMetrics(): Metrics;
  };
  createSubset(): ReferenceSubset;
}

/** fontkit's own subset, used once per face to write the unchanging tables. */
interface ReferenceSubset {
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}

/** fontkit's metrics of a glyph, as its `_getMetrics` computes them. */
interface Metrics { advanceWidth: number; advanceHeight: number; leftBearing: number; topBearing: number }

/** What a subset needs of one glyph: its bytes in `glyf`, the components it names, its metrics. */
interface GlyphEntry {
  bytes: Uint8Array;
  components: { glyphID: number; pos: number }[];
  advance: number;
  bearing: number;
  metrics: Readonly<Metrics>;
}

/** The tables of one face, in the order fontkit writes them, with what stays the same in every subset. */
interface FaceTables {
  tags: string[];
  fixed: Map<string, Uint8Array>;
  locaVersion: number;
  glyphs: Map<number, GlyphEntry>;
}

const faces = new WeakMap<Font, FaceTables>();

/** The tables of fontkit's subset of glyph 0 alone: the unchanging ones are kept as they are. */
function faceTables(font: Font): FaceTables {
  let face = faces.get(font);
  if (face) return face;
  const f = font as unknown as FontInternals;
  // A view (Object.create) so the glyphs created here stay out of the face's shared glyph cache.
  const ref = (Object.assign(Object.create(f) as FontInternals, { _glyphs: {} })).createSubset();
  const bytes = ref.encode();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint16(4);
  const tags: string[] = [];
  const fixed = new Map<string, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(...bytes.subarray(at, at + 4));
    const offset = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    tags.push(tag);
    fixed.set(tag, Uint8Array.prototype.slice.call(bytes, offset, offset + length));
  }
  face = { tags, fixed, locaVersion: f.loca.version, glyphs: new Map() };
  faces.set(font, face);
  return face;
}

function glyphEntry(font: Font, face: FaceTables, gid: number): GlyphEntry {
  let entry = face.glyphs.get(gid);
  if (entry) return entry;
  const f = font as unknown as FontInternals;
  const glyph = (Object.assign(Object.create(f) as FontInternals, { _glyphs: {} })).getGlyph(gid);
  const glyf = glyph._decode();
  const table = f.directory.tables['glyf'];
  const start = (table?.offset ?? 0) + (f.loca.offsets[gid] ?? 0);
  const end = (table?.offset ?? 0) + (f.loca.offsets[gid + 1] ?? 0);
  const metrics = Object.freeze({ ...glyph._getMetrics() });
  entry = {
    metrics,
    // A copy: the font's bytes are a Node Buffer, whose slice is a view, and composites are patched.
    bytes: Uint8Array.prototype.slice.call(f.stream.buffer, start, end),
    components: glyf && glyf.numberOfContours < 0 ? (glyf.components ?? []).map((c) => ({ glyphID: c.glyphID, pos: c.pos })) : [],
    advance: glyph.advanceWidth,
    bearing: metrics.leftBearing,
  };
  face.glyphs.set(gid, entry);
  return entry;
}

/** Whether the fast subset writes what fontkit would: TrueType outlines without variations. */
export function canSubsetFast(font: Font): boolean {
  const f = font as unknown as FontInternals;
  return !!f.directory.tables['glyf'] && !f._variationProcessor;
}

/**
 * `getGlyph` for a document's view of `font`: fontkit's glyph, given its metrics from the
 * process-wide table. fontkit computes a glyph's metrics on first use of each glyph object
 * (decoding its outline header and the hmtx entry through restructure), and every document
 * has its own glyph objects; the values depend on the glyph id alone.
 */
export function glyphWithSharedMetrics(font: Font): (this: object, id: number, characters?: number[]) => unknown {
  const base = font as unknown as FontInternals & { getGlyph(id: number, characters?: number[]): { _metrics?: Metrics } | null };
  return function getGlyph(this: object, id: number, characters?: number[]) {
    const g = base.getGlyph.call(this, id, characters);
    // fontkit's TTFGlyph._getMetrics returns `_metrics` when set; null for an id the font lacks.
    if (g && g._metrics === undefined && Number.isInteger(id) && id >= 0 && id < (base as unknown as { numGlyphs: number }).numGlyphs) {
      g._metrics = glyphEntry(font, faceTables(font), id).metrics;
    }
    return g;
  };
}

/** A subset with fontkit's interface as pdfkit uses it: `includeGlyph`, `glyphs`, `encode`. */
export class FastTrueTypeSubset {
  readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();
  /** pdfkit checks this to choose CIDFontType0C (CFF) over CIDFontType2 (TrueType). */
  readonly cff = undefined;

  constructor(private readonly font: Font) {
    // fontkit always includes the missing glyph first.
    this.includeGlyph(0);
  }

  includeGlyph(glyph: number | { id: number }): number {
    const gid = typeof glyph === 'object' ? glyph.id : glyph;
    let id = this.mapping.get(gid);
    if (id === undefined) {
      this.glyphs.push(gid);
      id = this.glyphs.length - 1;
      this.mapping.set(gid, id);
    }
    return id;
  }

  encode(): Uint8Array {
    const face = faceTables(this.font);
    const parts: Uint8Array[] = [];
    const offsets: number[] = [];
    const metrics: { advance: number; bearing: number }[] = [];
    let offset = 0;
    // The list grows while it is walked: a composite adds its components at the end, as in fontkit.
    for (let i = 0; i < this.glyphs.length; i++) {
      const e = glyphEntry(this.font, face, this.glyphs[i] as number);
      let bytes = e.bytes;
      if (e.components.length > 0) {
        bytes = Uint8Array.prototype.slice.call(bytes);
        const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (const c of e.components) dv.setUint16(c.pos, this.includeGlyph(c.glyphID));
      }
      parts.push(bytes);
      offsets.push(offset);
      metrics.push(e);
      offset += bytes.length;
    }
    offsets.push(offset);

    const tables = new Map<string, Uint8Array>();
    const short = face.locaVersion === 0;
    const loca = new Uint8Array(offsets.length * (short ? 2 : 4));
    const lv = new DataView(loca.buffer);
    // Short offsets are stored halved (fontkit's loca.preEncode).
    offsets.forEach((o, i) => (short ? lv.setUint16(2 * i, o >>> 1) : lv.setUint32(4 * i, o)));
    tables.set('loca', loca);
    tables.set('glyf', concat(parts, offset));
    const hmtx = new Uint8Array(4 * metrics.length);
    const hv = new DataView(hmtx.buffer);
    metrics.forEach((m, i) => { hv.setUint16(4 * i, m.advance); hv.setInt16(4 * i + 2, m.bearing); });
    tables.set('hmtx', hmtx);
    // maxp.numGlyphs (offset 4) and hhea.numberOfMetrics (offset 34) are all that change.
    tables.set('maxp', patched(face.fixed.get('maxp'), 4, this.glyphs.length));
    tables.set('hhea', patched(face.fixed.get('hhea'), 34, metrics.length));

    const body = face.tags.map((t) => tables.get(t) ?? face.fixed.get(t) ?? new Uint8Array(0));
    const head = 12 + 16 * face.tags.length;
    const out = new Uint8Array(head + body.reduce((s, b) => s + b.length, 0));
    const dv = new DataView(out.buffer);
    // The directory as fontkit writes it: tag "true", no checksums, tables one after the other.
    out.set([0x74, 0x72, 0x75, 0x65], 0);
    const n = face.tags.length;
    const pow = 2 ** Math.floor(Math.log2(n));
    dv.setUint16(4, n);
    dv.setUint16(6, pow * 16);
    dv.setUint16(8, Math.log2(pow));
    dv.setUint16(10, n * 16 - pow * 16);
    let at = head;
    face.tags.forEach((tag, i) => {
      const b = body[i] as Uint8Array;
      for (let k = 0; k < 4; k++) out[12 + 16 * i + k] = tag.charCodeAt(k);
      dv.setUint32(12 + 16 * i + 8, at);
      dv.setUint32(12 + 16 * i + 12, b.length);
      out.set(b, at);
      at += b.length;
    });
    return out;
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function patched(table: Uint8Array | undefined, at: number, value: number): Uint8Array {
  const out = Uint8Array.prototype.slice.call(table ?? new Uint8Array(at + 2));
  new DataView(out.buffer).setUint16(at, value);
  return out;
}
