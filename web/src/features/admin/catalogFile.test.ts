import { describe, expect, it } from 'vitest';
import { namesById, nameOf, parseCatalog } from './catalogFile';

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

  it('should list each procedure by its Vietnamese name, from its newest version, with its id beside it', () => {
    const def = (vi: string) => ({ catalog: { name: { vi, en: 'English' } } });
    const text = JSON.stringify({ procedures: [
      { id: 'dang-ky-khai-sinh', versions: [{ version: 2, status: 'draft', definition: def('Đăng ký khai sinh (mới)') }, { version: 1, status: 'published', definition: def('Đăng ký khai sinh') }] },
      { id: 'khong-ten', versions: [{ version: 1, status: 'draft', definition: { catalog: {} } }] },
    ] });
    const r = parseCatalog(text);
    expect(r.ok && r.entries).toEqual([
      { id: 'dang-ky-khai-sinh', name: 'Đăng ký khai sinh (mới)', versions: [{ version: 2, status: 'draft' }, { version: 1, status: 'published' }] },
      { id: 'khong-ten', name: null, versions: [{ version: 1, status: 'draft' }] },
    ]);
    expect(r.ok && [...namesById(r.entries)]).toEqual([['dang-ky-khai-sinh', 'Đăng ký khai sinh (mới)']]);
  });

  it('should find no name in a definition that is not one rather than fail', () => {
    expect(nameOf([null, 'x', { version: 1, definition: { catalog: { name: 42 } } }, { version: 3, definition: null }])).toBeNull();
    expect(nameOf([{ version: 1, definition: { catalog: { name: '  Chứng thực  ' } } }])).toBe('Chứng thực');
  });
});
