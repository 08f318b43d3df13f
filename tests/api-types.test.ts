/**
 * The web app's API client is typed from the server's OpenAPI document
 * (`web/src/api/schema.d.ts`). This keeps the two in step: a route whose schema
 * changed without regenerating the types fails here, not at a desk.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';
import { createHarness, type Harness } from '../server/test/support/harness';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(async () => { await h?.close(); });

describe('web app API types', () => {
  it('should match the OpenAPI document the server serves (run `npm run api:types -w web` with a server on :3000 when this fails)', async () => {
    const doc = (await h.http.get('/api/openapi.json')).body as object;
    const expected = COMMENT_HEADER + astToString(await openapiTS(doc as Parameters<typeof openapiTS>[0]));
    const actual = readFileSync(new URL('../web/src/api/schema.d.ts', import.meta.url), 'utf8');
    expect(actual).toBe(expected);
  });
});
