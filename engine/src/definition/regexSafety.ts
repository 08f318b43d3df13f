import tokenize, { types, type Root, type SetToken, type Token } from 'ret';

/**
 * Why a regular expression may backtrack for exponential (or huge) time in a backtracking engine
 * such as V8's, which Ajv runs `pattern` and `patternProperties` with:
 * - `nested`: a repetition of variable length inside another repetition, `(a+)+`, `(\w+\s?)*`, `(a?){30}`;
 * - `overlap`: alternatives that can start with the same character inside a repetition, `(a|a)*`, `(\d|\d\d)+`;
 * - `unchecked`: the pattern could not be read (so not shown to be safe).
 * Polynomial backtracking from adjacent repetitions (`\d*\d*$`) is not detected.
 */
export type RegexRisk = 'nested' | 'overlap' | 'unchecked';

/** Repetition or alternation choices allowed inside a bounded repetition: `(\d{1,3}\.){3}` is 3³ = 27. */
const BOUNDED_CHOICES = 1000;
const MAX_CODE_POINT = 0x10ffff;

type Intervals = [number, number][];

// Unicode property classes (`\p{Lu}`), unknown to the tokenizer, read as a superset of what they
// match: letters and marks as ASCII letters and every non-ASCII character, numbers likewise with
// digits, anything else (and `\P{…}`) as any character; so is `\u{…}`.
const LETTERS = /^(L|Lu|Ll|Lt|Lm|Lo|LC|Letter|Uppercase_Letter|Lowercase_Letter|M|Mn|Mc|Me|Mark|Alphabetic|Alpha)$/;
const NUMBERS = /^(N|Nd|Nl|No|Number|Decimal_Number)$/;

function classFor(escape: string, property: string): string {
  if (escape === 'p' && LETTERS.test(property)) return 'A-Za-z\\u0080-\\uffff';
  if (escape === 'p' && NUMBERS.test(property)) return '0-9\\u0080-\\uffff';
  return '\\s\\S';
}

/** The pattern with `\p{…}`, `\P{…}` and `\u{…}` (Unicode mode, which Ajv uses) replaced by classes the tokenizer reads. */
function withoutUnicodeEscapes(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      const close = source.indexOf('}', i);
      if ((next === 'p' || next === 'P' || next === 'u') && source[i + 2] === '{' && close !== -1) {
        const members = classFor(next, source.slice(i + 3, close));
        out += inClass ? members : `[${members}]`;
        i = close;
      } else {
        out += c + next;
        i++;
      }
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

function normalise(intervals: Intervals): Intervals {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Intervals = [];
  for (const [from, to] of sorted) {
    const last = out.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

function complement(intervals: Intervals): Intervals {
  const out: Intervals = [];
  let next = 0;
  for (const [from, to] of normalise(intervals)) {
    if (from > next) out.push([next, from - 1]);
    next = to + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function setChars(token: SetToken): Intervals {
  if (token.type === types.CHAR) return [[token.value, token.value]];
  if (token.type === types.RANGE) return [[token.from, token.to]];
  const members = token.set.flatMap(setChars);
  return token.not ? complement(members) : members;
}

interface First {
  chars: Intervals;
  /** Whether the token can match the empty string. */
  nullable: boolean;
}

/** The characters a sequence of tokens can start with (over-approximated). */
function firstOfSequence(tokens: readonly Token[]): First {
  const chars: Intervals = [];
  for (const token of tokens) {
    const first = firstOf(token);
    chars.push(...first.chars);
    if (!first.nullable) return { chars, nullable: false };
  }
  return { chars, nullable: true };
}

function firstOf(token: Token): First {
  switch (token.type) {
    case types.CHAR:
    case types.SET:
      return { chars: setChars(token), nullable: false };
    case types.POSITION:
      return { chars: [], nullable: true };
    case types.REFERENCE:
      return { chars: [[0, MAX_CODE_POINT]], nullable: true };
    case types.REPETITION: {
      const inner = firstOf(token.value);
      return { chars: inner.chars, nullable: inner.nullable || token.min === 0 };
    }
    case types.GROUP: {
      if (token.followedBy || token.notFollowedBy || token.lookBehind) return { chars: [], nullable: true };
      const options = token.options ?? [token.stack ?? []];
      const firsts = options.map(firstOfSequence);
      return { chars: firsts.flatMap((f) => f.chars), nullable: firsts.some((f) => f.nullable) };
    }
    default:
      return { chars: [[0, MAX_CODE_POINT]], nullable: true };
  }
}

/** Every character a token can match (over-approximated). */
function allChars(token: Token): Intervals {
  switch (token.type) {
    case types.CHAR:
    case types.SET:
      return setChars(token);
    case types.POSITION:
      return [];
    case types.REPETITION:
      return allChars(token.value);
    case types.GROUP:
      if (token.followedBy || token.notFollowedBy || token.lookBehind) return [];
      return (token.options ?? [token.stack ?? []]).flat().flatMap(allChars);
    default:
      return [[0, MAX_CODE_POINT]];
  }
}

function disjoint(a: Intervals, b: Intervals): boolean {
  const x = normalise(a);
  const y = normalise(b);
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [af, at] = x[i] as [number, number];
    const [bf, bt] = y[j] as [number, number];
    if (af <= bt && bf <= at) return false;
    if (at < bt) i++;
    else j++;
  }
  return true;
}

/**
 * Whether a repeated group starts with a separator nothing else in it can match, as in
 * `( [A-Z]+)*` or `(\.\d+)*`: each pass then starts at a separator, so passes split only one way.
 */
function separatorLed(body: Token): boolean {
  if (body.type !== types.GROUP || body.options || body.followedBy || body.notFollowedBy || body.lookBehind) return false;
  const [head, ...rest] = body.stack ?? [];
  if (head === undefined || (head.type !== types.CHAR && head.type !== types.SET)) return false;
  return disjoint(setChars(head), rest.flatMap(allChars));
}

/** Whether two of the alternatives can start with the same character. */
function alternativesOverlap(options: readonly (readonly Token[])[]): boolean {
  const tagged = options.flatMap((option, k) => normalise(firstOfSequence(option).chars).map(([from, to]) => ({ from, to, k })));
  tagged.sort((a, b) => a.from - b.from);
  let reach = -1;
  let owner = -1;
  for (const { from, to, k } of tagged) {
    if (from <= reach && k !== owner) return true;
    if (to > reach) {
      reach = to;
      owner = k;
    }
  }
  return false;
}

/** Whether `choices` per pass, repeated up to `loops` times (the enclosing repetitions' maxima multiplied), is too many paths. */
function tooManyPaths(choices: number, loops: number): boolean {
  return !Number.isFinite(choices) || !Number.isFinite(loops) || choices ** loops > BOUNDED_CHOICES;
}

/** `loops`: how many times the enclosing repetitions may run this token (1 outside any). */
function riskIn(token: Root | Token, loops: number): RegexRisk | null {
  if (token.type === types.REPETITION) {
    const max = token.max;
    if (loops > 1 && max > token.min && tooManyPaths(max - token.min + 1, loops)) return 'nested';
    return riskIn(token.value, separatorLed(token.value) ? 1 : loops * max);
  }
  if (token.type !== types.ROOT && token.type !== types.GROUP) return null;
  if (token.options) {
    if (loops > 1 && alternativesOverlap(token.options) && tooManyPaths(token.options.length, loops)) return 'overlap';
    for (const option of token.options) {
      for (const t of option) {
        const risk = riskIn(t, loops);
        if (risk) return risk;
      }
    }
    return null;
  }
  for (const t of token.stack ?? []) {
    const risk = riskIn(t, loops);
    if (risk) return risk;
  }
  return null;
}

/** Why `source` (an ECMAScript pattern, as in JSON Schema) may backtrack catastrophically, or null; pure. */
export function regexRisk(source: string): RegexRisk | null {
  let root: Root;
  try {
    root = tokenize(withoutUnicodeEscapes(source));
  } catch {
    return 'unchecked';
  }
  return riskIn(root, 1);
}
