// fontkit (pdfkit's font engine) ships no types: only what `fonts.ts` uses is declared.
declare module 'fontkit' {
  /** A parsed font; pdfkit lays text out with it and embeds a subset of it per document. */
  export interface Font {
    readonly postscriptName: string;
    layout(text: string): unknown;
  }
  /** Parses a TrueType/OpenType font from its bytes. */
  export function create(bytes: Uint8Array, postscriptName?: string): Font;
}
