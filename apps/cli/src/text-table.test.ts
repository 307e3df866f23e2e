// The CLI's plain-text table and cell formats.
import { describe, expect, it } from 'vitest';
import { ago, formatTable, pageNote } from './text-table.js';

describe('formatTable', () => {
  it('pads every column to its widest cell, right-aligns the marked ones, and trims line ends', () => {
    const t = formatTable(
      ['ID', { title: 'N', right: true }, 'NOTE'],
      [
        ['a', '5', ''],
        ['long-id', '120', 'x'],
      ],
    );
    expect(t).toBe(['ID         N  NOTE', 'a          5', 'long-id  120  x', ''].join('\n'));
  });

  it('is the header alone when there are no rows', () => {
    expect(formatTable(['A', 'B'], [])).toBe('A  B\n');
  });
});

describe('ago', () => {
  it('picks the largest whole unit', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(ago('2026-01-01T23:59:48Z', now)).toBe('12s ago');
    expect(ago('2026-01-01T23:55:00Z', now)).toBe('5m ago');
    expect(ago('2026-01-01T21:00:00Z', now)).toBe('3h ago');
    expect(ago('2025-12-30T00:00:00Z', now)).toBe('3d ago');
  });
});

describe('pageNote', () => {
  it('says nothing when the page holds every row, and where the next page starts otherwise', () => {
    expect(pageNote({ items: [1, 2], total: 2, offset: 0 })).toBe('');
    expect(pageNote({ items: [1, 2], total: 5, offset: 0 })).toBe('rows 1-2 of 5; --offset 2 for more\n');
    expect(pageNote({ items: [5], total: 5, offset: 4 })).toBe('rows 5-5 of 5\n');
  });
});
