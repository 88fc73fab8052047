import { signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  it('is sha256= and the hex HMAC-SHA256 of the body under the secret (a published test vector)', () => {
    expect(signWebhookBody('The quick brown fox jumps over the lazy dog', 'key')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });

  it('signs the exact bytes: a string and its UTF-8 buffer sign alike, any change does not', () => {
    const body = '{"title":"Café"}';
    const secret = 's'.repeat(16);
    expect(signWebhookBody(Buffer.from(body, 'utf8'), secret)).toBe(signWebhookBody(body, secret));
    expect(signWebhookBody('{"title": "Café"}', secret)).not.toBe(signWebhookBody(body, secret));
  });

  it('verifies a genuine signature and refuses forgeries', () => {
    const secret = 'x'.repeat(32);
    const body = '{"id":"evt-1"}';
    const signature = signWebhookBody(body, secret);
    expect(verifyWebhookSignature(body, signature, secret)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), signature, secret)).toBe(true);
    expect(verifyWebhookSignature('{"id":"evt-2"}', signature, secret)).toBe(false);
    expect(verifyWebhookSignature(body, signature, 'y'.repeat(32))).toBe(false);
    expect(verifyWebhookSignature(body, signature.replace('sha256=', ''), secret)).toBe(false);
    expect(verifyWebhookSignature(body, `${signature}00`, secret)).toBe(false);
    expect(verifyWebhookSignature(body, undefined, secret)).toBe(false);
  });
});
