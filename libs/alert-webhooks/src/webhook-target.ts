/** Where a request goes and how it authenticates, from a configured webhook URL. */
export interface WebhookTarget {
  /** The URL without `user:password@` (fetch refuses URLs with credentials). */
  readonly href: string;
  /** `Basic …` from the URL's credentials, when it has some. */
  readonly authorization: string | undefined;
}

/** Splits `https://user:pass@host/path` into the URL to request and a Basic authorization. */
export function webhookTarget(url: string): WebhookTarget {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '')
    return { href: parsed.href, authorization: undefined };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { href: parsed.href, authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

/**
 * The URL as logs show it: a password and the query (where receivers often take a token) are
 * masked, the rest stays to tell the URLs apart.
 */
export function displayWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    if (parsed.search !== '') parsed.search = '?***';
    return parsed.href;
  } catch {
    return '(unparsable URL)';
  }
}
