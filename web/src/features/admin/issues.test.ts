import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { issueAt, issuesByPath } from './issues';

describe('issues by JSON pointer', () => {
  const error = new ApiError(422, 'INVALID', { vi: 'Sai' }, [
    { path: '/username', message: { vi: 'Tên đăng nhập đã có' } },
    { path: '/grants/1/unit', message: { vi: 'Không có đơn vị' } },
    { path: '/username', message: { vi: 'Quá ngắn' } },
    { message: { vi: 'chung' } },
  ]);

  it('should join messages of the same field', () => {
    expect(issueAt(issuesByPath(error), '/username')).toBe('Tên đăng nhập đã có; Quá ngắn');
  });

  it('should find an issue inside a field', () => {
    expect(issueAt(issuesByPath(error), '/grants')).toBe('Không có đơn vị');
    expect(issueAt(issuesByPath(error), '/grants/0')).toBeUndefined();
  });

  it('should ignore errors that are not from the API', () => {
    expect(issuesByPath(new Error('x')).size).toBe(0);
  });
});
