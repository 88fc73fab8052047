/**
 * Where credentials arrive: HTTP headers (lower-case names), or the payload of a WebSocket
 * `connection_init` (any case). Only `authorization` and `x-api-key` are looked at.
 */
export type CredentialCarrier = Readonly<Record<string, unknown>>;

export type PresentedCredential =
  | { readonly kind: 'none' }
  | { readonly kind: 'malformed'; readonly problem: string }
  | { readonly kind: 'jwt'; readonly token: string }
  | { readonly kind: 'api-key'; readonly secret: string };

/** Three dot-separated parts: a JWS compact serialisation (AUTH_API_KEYS refuses such secrets). */
export function looksLikeJwt(token: string): boolean {
  return token.split('.').length === 3;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** Finds the credential in headers or connection parameters, without judging it yet. */
export function readPresentedCredential(carrier: CredentialCarrier | null | undefined): PresentedCredential {
  const authorization = valueOf(carrier, 'authorization');
  const apiKey = valueOf(carrier, 'x-api-key');
  if (authorization === undefined && apiKey === undefined) return { kind: 'none' };
  if (authorization !== undefined && apiKey !== undefined) {
    return { kind: 'malformed', problem: 'Send credentials in Authorization or in X-Api-Key, not both' };
  }
  if (apiKey !== undefined) {
    return typeof apiKey === 'string'
      ? { kind: 'api-key', secret: apiKey }
      : { kind: 'malformed', problem: 'X-Api-Key must be sent once, as text' };
  }
  const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
  if (match === null) {
    return { kind: 'malformed', problem: 'Authorization must have the form "Bearer <token or API key>"' };
  }
  const token = match[1]!;
  return looksLikeJwt(token) ? { kind: 'jwt', token } : { kind: 'api-key', secret: token };
}

/** The non-blank value of `name`, whatever the case of the key; non-text values are kept to be refused. */
function valueOf(carrier: CredentialCarrier | null | undefined, name: string): unknown {
  if (carrier === null || typeof carrier !== 'object') return undefined;
  for (const [key, value] of Object.entries(carrier)) {
    if (key.toLowerCase() !== name || value === undefined || value === null) continue;
    if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
    return value;
  }
  return undefined;
}
