/** A client's cookies across the hops of a sign-in: the tests and the online bench act as a browser. */
export class Jar {
  readonly values = new Map<string, string>();

  /** Takes a response's Set-Cookie lines: a cookie set empty, expired or with max-age=0 is dropped. */
  take(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]!).getTime() < Date.now()) || attrs.some((a) => /^\s*max-age=0\b/i.test(a.trim()));
      if (expired || value === '') this.values.delete(name);
      else this.values.set(name, value);
    }
  }

  /** The Cookie header to send. */
  header(): string {
    return [...this.values].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
