import { describe, expect, it } from 'vitest';
import { parseCatalog } from './catalogFile';

describe('catalog file', () => {
  it('should count procedures and versions by status', () => {
    const text = JSON.stringify({ procedures: [
      { id: 'a', versions: [{ version: 1, status: 'retired', definition: {} }, { version: 2, status: 'published', definition: {} }] },
      { id: 'b', versions: [{ version: 1, status: 'draft', definition: {} }] },
    ] });
    const r = parseCatalog(text);
    expect(r.ok && r.count).toEqual({ procedures: 2, versions: 3, byStatus: { draft: 1, published: 1, retired: 1 } });
  });

  it('should name a file that is not JSON', () => {
    const r = parseCatalog('{oops');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message.vi).toMatch(/JSON/);
  });

  it('should refuse JSON that is not an export', () => {
    expect(parseCatalog('[]').ok).toBe(false);
    expect(parseCatalog('{"procedures":[{"versions":[]}]}').ok).toBe(false);
  });
});
