/** A client's cookies across the hops of a sign-in (the faults tests and the online bench act as a browser). */
export class Jar {
  readonly values = new Map<string, string>();

  /** Takes a response's Set-Cookie lines: a cookie set empty, or expired, is dropped. */
  take(lines: string[]): void {
    for (const l of lines) {
      const pair = l.split(';')[0]!;
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0\b/i.test(l) || /expires=Thu, 01 Jan 1970/i.test(l)) this.values.delete(pair.slice(0, eq).trim());
      else this.values.set(pair.slice(0, eq).trim(), value);
    }
  }

  /** The Cookie header to send. */
  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
