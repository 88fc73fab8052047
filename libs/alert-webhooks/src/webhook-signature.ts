import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries `sha256=<hex>` of the body's HMAC-SHA256. */
export const SIGNATURE_HEADER = 'X-Lifecycle-Signature';
/** The header that carries the notification's id, the same on every attempt (de-duplication). */
export const DELIVERY_HEADER = 'X-Lifecycle-Delivery';
/** The header that carries the notification's type (RAISED, ESCALATED, ACKNOWLEDGED, RESOLVED). */
export const EVENT_HEADER = 'X-Lifecycle-Event';

const PREFIX = 'sha256=';

/** `sha256=<hex>`: the HMAC-SHA256 of the exact body bytes under `secret`. */
export function signWebhookBody(body: string | Buffer, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Whether `signature` (the header's value) is the body's signature under `secret`, compared in
 * constant time so that a receiver checking it does not leak how much of a forgery matched.
 */
export function verifyWebhookSignature(
  body: string | Buffer,
  signature: string | undefined,
  secret: string,
): boolean {
  if (signature === undefined || !signature.startsWith(PREFIX)) return false;
  const expected = Buffer.from(signWebhookBody(body, secret));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
