import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Ids are opaque strings with a type prefix (cus_, prj_, inv_ ...), so a pasted id says what it is.
 * The body starts with the time in milliseconds, so new ids sort roughly by creation.
 */
export function newId(prefix: string): string {
  let t = Date.now();
  let time = '';
  for (let i = 0; i < 9; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(10);
  let body = '';
  for (const b of rnd) body += ALPHABET[b % 32];
  return `${prefix}_${time}${body}`;
}
