import { FIRST_NAMES, INDUSTRIES, LAST_NAMES, LEGAL_FORMS, NAME_ENDS, NAME_STARTS } from './word-lists.js';
import { randomFor } from './random.js';

/** Distinct "first-last" person slugs. */
export function peopleOf(seed: string, count: number): string[] {
  const pairs = FIRST_NAMES.length * LAST_NAMES.length;
  const { step, offset } = permutationOf(seed, 'people', pairs);
  return Array.from({ length: count }, (_, i) => {
    const n = (step * i + offset) % pairs;
    return `${FIRST_NAMES[n % FIRST_NAMES.length]}-${LAST_NAMES[Math.floor(n / FIRST_NAMES.length)]}`.toLowerCase();
  });
}

export interface CompanyName {
  readonly name: string;
  readonly industry: string;
  readonly domain: string;
}

/**
 * Company names as a seeded permutation of every combination of the word lists, so no two
 * accounts (up to the number of combinations, far above the account limit) share a name.
 */
export function companyNames(seed: string): (index: number) => CompanyName {
  const sizes = [NAME_STARTS.length, NAME_ENDS.length, INDUSTRIES.length, LEGAL_FORMS.length];
  const combinations = sizes.reduce((product, n) => product * n, 1);
  const { step, offset } = permutationOf(seed, 'names', combinations);
  return (index) => {
    let n = (step * index + offset) % combinations;
    const digits = sizes.map((size) => {
      const digit = n % size;
      n = Math.floor(n / size);
      return digit;
    });
    const brand = `${NAME_STARTS[digits[0]]}${NAME_ENDS[digits[1]]}`;
    const industry = INDUSTRIES[digits[2]];
    return {
      name: `${brand} ${industry}${LEGAL_FORMS[digits[3]]}`,
      industry,
      domain: `${brand}-${industry}.example`.toLowerCase(),
    };
  };
}

/** `i -> (step * i + offset) mod size` with step coprime to size: a bijection on [0, size). */
function permutationOf(seed: string, purpose: string, size: number): { step: number; offset: number } {
  const r = randomFor(seed, 'permutation', purpose);
  let step = r.int(Math.floor(size / 3), size - 1);
  while (gcd(step, size) !== 1) step++;
  return { step: step % size, offset: r.int(0, size - 1) };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
