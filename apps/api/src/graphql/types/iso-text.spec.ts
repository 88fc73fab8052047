import { isoText } from './iso-text.js';

describe('isoText', () => {
  it('writes what toISOString writes, at the edges of days, months, leap years and its year range', () => {
    const edges = [
      '1000-01-01T00:00:00.000Z',
      '1582-10-15T12:00:00.000Z',
      '1899-12-31T23:59:59.999Z',
      '1900-02-28T23:59:59.999Z',
      '1900-03-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T00:00:00.001Z',
      '2024-02-29T23:59:59.999Z',
      '2026-12-07T14:00:00.000Z',
      '2100-02-28T23:59:59.999Z',
      '2100-03-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    for (const text of edges) expect(isoText(new Date(text))).toBe(text);
  });

  it('writes what toISOString writes for a million instants spread over 1000-9999', () => {
    const from = Date.parse('1000-01-01T00:00:00.000Z');
    const to = Date.parse('9999-12-31T23:59:59.999Z');
    let seed = 42;
    const next = () => {
      // A fixed sequence (mulberry32), so a failure names an instant that fails again.
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const wrong: string[] = [];
    for (let i = 0; i < 1_000_000 && wrong.length < 5; i++) {
      const date = new Date(from + Math.floor(next() * (to - from)));
      if (isoText(date) !== date.toISOString()) wrong.push(date.toISOString());
    }
    expect(wrong).toEqual([]);
  });

  it('leaves other years and invalid dates to toISOString', () => {
    for (const text of [
      '0999-12-31T23:59:59.999Z',
      '+010000-01-01T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
    ]) {
      expect(isoText(new Date(text))).toBe(text);
    }
    expect(() => isoText(new Date(Number.NaN))).toThrow(RangeError);
  });
});
