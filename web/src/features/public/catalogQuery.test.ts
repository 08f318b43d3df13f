import { describe, expect, it } from 'vitest';
import { pageCount, readCatalog, toApiQuery, writeCatalog } from './catalogQuery';

describe('readCatalog', () => {
  it('should read the search and filters and ignore unknown values', () => {
    const f = readCatalog(new URLSearchParams('q=khai sinh&level=planet&onlineLevel=full&nonGeographic=1&page=0'));
    expect(f).toEqual({ q: 'khai sinh', field: '', level: '', onlineLevel: 'full', nonGeographic: true, unit: '', page: 1 });
  });
});

describe('writeCatalog', () => {
  it('should go back to page 1 when a filter changes', () => {
    const f = readCatalog(new URLSearchParams('q=hộ tịch&page=3'));
    expect(writeCatalog(f, { field: 'Hộ tịch' }).get('page')).toBeNull();
  });

  it('should keep the filters when only the page changes', () => {
    const f = readCatalog(new URLSearchParams('field=Chứng thực'));
    const p = writeCatalog(f, { page: 2 });
    expect(p.get('field')).toBe('Chứng thực');
    expect(p.get('page')).toBe('2');
  });
});

describe('toApiQuery', () => {
  it('should leave empty filters out and ask for a page', () => {
    expect(toApiQuery(readCatalog(new URLSearchParams('q=  ')))).toEqual({ page: 1, pageSize: 20 });
    expect(toApiQuery(readCatalog(new URLSearchParams('nonGeographic=1&unit= X1 ')))).toMatchObject({ nonGeographic: true, unit: 'X1' });
  });
});

describe('pageCount', () => {
  it('should count at least one page', () => {
    expect(pageCount(0, 20)).toBe(1);
    expect(pageCount(41, 20)).toBe(3);
  });
});
