/**
 * Short-lived signed download links, for files opened in a new tab or by the browser's own
 * download manager (which cannot send the Authorization header). A link opens the one path
 * it was made for, for `LINK_TTL_SECONDS`, and dies with the user's other tokens on logout.
 * The bearer token itself is never accepted in a URL.
 */
import Type from 'typebox';
import type { Api } from '../http/api';
import type { Deps } from '../deps';
import { signToken } from './tokens';

export const LINK_TTL_SECONDS = 60;

export function downloadLinkRoute(api: Api, deps: Deps): void {
  api.add({
    method: 'post', path: '/api/auth/download-link', tags: ['auth'], access: 'user',
    summary: `A link to a file answer (document, slip) that works without the Authorization header for ${LINK_TTL_SECONDS} s: \`<path>?link=…\``,
    body: Type.Object({
      path: Type.String({ pattern: '^/api/[^?#\\s]*$', maxLength: 1000, description: 'The file\'s path, as in GET, without a query string, e.g. /api/dossiers/X/slips/receipt' }),
    }, { additionalProperties: false }),
    response: Type.Object({ url: Type.String(), expiresAt: Type.String() }),
  }, async ({ body, user }) => {
    const now = deps.clock.now();
    const link = await signToken(user!.id, deps.config.tokenSecret, LINK_TTL_SECONDS, now, { kind: 'download', ver: user!.tokenVersion, path: body.path });
    return { url: `${body.path}?link=${link}`, expiresAt: new Date(now.getTime() + LINK_TTL_SECONDS * 1000).toISOString() };
  });
}
