import { jsonText } from '../../../platform/store';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

it('[PLAT-12] jsonText gives the text JSON.stringify gives, in pieces', () => {
  const values: unknown[] = [
    null,
    0,
    'å',
    [],
    {},
    [undefined, () => 1, Symbol('s'), NaN, { a: undefined }],
    { a: undefined, b: () => 1, c: [[], {}, [[1]]], d: { e: { f: [{ g: 'h' }] } }, '': 1, 'q"uote': '\n' },
    { when: new Date('2026-08-20T00:00:00Z'), custom: { toJSON: () => 'custom' }, p: new Point(1, 2) },
    Object.assign(Object.create(null) as object, { x: 1 }),
    Array.from({ length: 1000 }, (_, i) => ({ i, s: 'x'.repeat(i % 7) })),
  ];
  for (const value of values) {
    const pieces = [...jsonText(value)];
    expect(pieces.join('')).toBe(JSON.stringify(value) ?? 'null');
  }
  expect([...jsonText(Array.from({ length: 1000 }, (_, i) => i))].length).toBeGreaterThan(1000);
});
