/**
 * What the logs may say about a request. URLs are logged (failed requests), but never the
 * secrets some URLs carry: download links, tokens, and second factors of the public lookup.
 */
const SECRET_PARAM = /token|link|secret|password|pin|key|sig|code|phone|id_?number/i;

/** The URL with the values of secret-looking query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // a malformed name is logged as sent
    }
    return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=[redacted]` : pair;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

/**
 * Cache-Control of API answers: nothing personal may stay in a browser or proxy cache
 * (ASVS 8.2.1), so every `/api` answer is `no-store` unless it is the public catalog,
 * identical for everyone and changing rarely: a minute of caching is harmless there.
 */
export function apiCacheControl(path: string): string {
  return /^\/api\/public\/(procedures|fields|units)(\/|$)/.test(path) ? 'public, max-age=60' : 'no-store';
}
