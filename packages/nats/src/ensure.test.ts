import { describe, expect, it } from 'vitest';
import { differingFields } from './ensure.ts';

describe('differingFields', () => {
  it('compares only the fields wanted', () => {
    expect(differingFields({ a: 1, b: 2, extra: 'x' }, { a: 1, b: 3 })).toEqual(['b']);
    expect(differingFields({ subjects: ['a', 'b'] }, { subjects: ['a', 'b'] })).toEqual([]);
    expect(differingFields({ subjects: ['a'] }, { subjects: ['a', 'b'] })).toEqual(['subjects']);
  });

  it('treats a field the server left out as its zero value', () => {
    expect(differingFields({}, { deny_delete: false, max_age: 0, description: '' })).toEqual([]);
    expect(differingFields({}, { allow_direct: true })).toEqual(['allow_direct']);
  });

  it('ignores wanted fields that are undefined', () => {
    expect(differingFields({ a: 1 }, { a: undefined })).toEqual([]);
  });
});
