/**
 * Free text as a slip prints it: bounded, so that no stored data can make rendering slow.
 *
 * pdfkit breaks a word wider than its line by measuring, after each line, the width of the
 * whole rest of the word again (and the process-wide word cache of ./wordLayout.ts records
 * every such rest): time and memory grow with the square of the word's length. A 10 KB word
 * took 5.5 s and 600 MB; 20 KB, 38 s and 2 GB, on the thread that answers every request.
 * So before anything reaches pdfkit, every string of a slip's data is
 * - cut to `MAX_FIELD` characters, ending with "…" when cut, and
 * - broken inside a run of more than `MAX_WORD` letters without a space: a zero-width space
 *   (U+200B, a break opportunity of zero width that DejaVu has) after every `MAX_WORD`
 *   letters, so pdfkit never meets a longer word; it still breaks a piece wider than its
 *   line where the line ends, so the printed lines are filled as before.
 * Letters are grapheme clusters (`Intl.Segmenter`): a base letter is never parted from its
 * diacritics. A cluster longer than `MAX_CLUSTER` code units (stacked combining marks, no
 * letter of any script needs that many) keeps its first `MAX_CLUSTER`.
 * Text within these bounds is returned as it is, so the bytes of ordinary slips do not change.
 */

/** Characters (UTF-16 code units) printed of one field at most, the ellipsis included. */
export const MAX_FIELD = 2000;
/** Letters (grapheme clusters) in one unbroken run at most before a break opportunity is added. */
export const MAX_WORD = 120;
/** Code units kept of one grapheme cluster. */
const MAX_CLUSTER = 32;

const ELLIPSIS = '…';
/** A stretch of code units without a space that could hold a cluster longer than `MAX_CLUSTER`. */
const LONG_STRETCH = new RegExp(`\\S{${MAX_CLUSTER - 1},}`, 'u');
const BREAK = '\u200B';

const graphemes = new Intl.Segmenter('vi', { granularity: 'grapheme' });
/**
 * Code units segmented at a time. V8's segmenter costs about the length of its whole input at
 * each step (a 2,000-cluster head of a 1 MB string took 33 s), so it is only given windows.
 */
const WINDOW = 256;

/** The first `MAX_CLUSTER` code units of a cluster, never ending inside a surrogate pair. */
function cutCluster(cluster: string): string {
  if (cluster.length <= MAX_CLUSTER) return cluster;
  const last = cluster.charCodeAt(MAX_CLUSTER - 1);
  return cluster.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_CLUSTER - 1 : MAX_CLUSTER);
}

/**
 * The grapheme clusters of `s` in order, each cut to `MAX_CLUSTER` code units, read a window
 * at a time and only as far as the caller reads. The last cluster of a window may go on past
 * it, so the next window starts where it starts; a cluster that fills a whole window is cut,
 * and what the segmenter reads as its rest at the start of the next window is dropped.
 */
function* clusters(s: string): Generator<string> {
  let pos = 0;
  let rest = false;
  while (pos < s.length) {
    const end = Math.min(s.length, pos + WINDOW);
    const segs = Array.from(graphemes.segment(s.slice(pos, end)), (x) => x.segment);
    if (end < s.length && segs.length === 1) {
      if (!rest) yield cutCluster(segs[0] ?? '');
      rest = true;
      pos = end;
      continue;
    }
    const open = end < s.length ? segs.pop() ?? '' : '';
    for (const [i, c] of segs.entries()) if (!(rest && i === 0)) yield cutCluster(c);
    rest = false;
    pos = end - open.length;
  }
}

/**
 * One string as a slip prints it: NFC (text typed on macOS or pasted from Word often arrives
 * decomposed, e + U+0302 + U+0301; DejaVu has every precomposed Vietnamese letter, so NFC
 * prints one well-placed glyph instead of marks stacked by the layout engine), at most `max`
 * characters (`MAX_FIELD` unless told; the layout passes Infinity for text it composed of
 * fields already bounded) and no unbroken run longer than `MAX_WORD` letters; pure.
 */
export function printable(text: string, max = MAX_FIELD): string {
  // Of a huge field only a head is read (normalising 1 MB alone takes tens of milliseconds).
  const head = text.length > max * 8 ? text.slice(0, max * 8) : text;
  const s = head.normalize('NFC');
  // Nearly every field: short, and no stretch without a space long enough to hold a cluster
  // to cut or a run to break (a cluster may start with a space, hence one less than
  // MAX_CLUSTER). The walk below would return it unchanged; segmenting it was a tenth of a
  // receipt's rendering time.
  if (head === text && s.length <= max && !LONG_STRETCH.test(s)) return s;
  const long = head !== text || s.length > max;
  const parts: string[] = [];
  let length = 0;
  let run = 0;
  let changed = false;
  for (const c of clusters(s)) {
    if (long && length + c.length > max - ELLIPSIS.length) return ellipsed(parts);
    if (/^[\s\u200B]/u.test(c)) {
      run = 0;
    } else if (run === MAX_WORD) {
      parts.push(BREAK);
      run = 1;
      changed = true;
    } else {
      run++;
    }
    parts.push(c);
    length += c.length;
  }
  // A head whose clusters were cut to fit: its last cluster may have been cut by the slice.
  if (head !== text) return ellipsed(parts.slice(0, -1));
  return changed || length !== s.length ? parts.join('') : s;
}

const ellipsed = (parts: string[]): string => parts.join('').replace(/[\s\u200B]+$/u, '') + ELLIPSIS;

/** Every string of `value` (objects and arrays walked) made `printable`; pure. */
export function printableData<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map(printableData) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableData(v)])) as T;
  }
  return value;
}
