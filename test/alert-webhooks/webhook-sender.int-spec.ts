// One webhook request against local receivers: only a 2xx counts, redirects are not followed,
// failures say why, and credentials in the URL go out as Basic authorization.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sendWebhook, webhookTarget } from '#alert-webhooks';

import { startReceiver, type WebhookReceiver } from './webhook-receiver.js';

const request = { body: '{"id":"evt-1"}', headers: { 'content-type': 'application/json' } };

describe('sending one webhook request', () => {
  const receivers: WebhookReceiver[] = [];
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });
  const receiver = async (...args: Parameters<typeof startReceiver>) => {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  };

  it('counts any 2xx as delivered, with the body and headers as given', async () => {
    const hook = await receiver(() => 204);
    expect(await sendWebhook(webhookTarget(hook.url), request, { timeoutMs: 2000 })).toEqual({
      ok: true,
      status: 204,
    });
    expect(hook.requests[0]).toMatchObject({
      body: request.body,
      headers: { 'content-type': 'application/json' },
    });
  });

  it.each([500, 404, 429])('counts HTTP %s as a failure', async (status) => {
    const hook = await receiver(() => status);
    expect(await sendWebhook(webhookTarget(hook.url), request, { timeoutMs: 2000 })).toEqual({
      ok: false,
      status,
      error: `HTTP ${status}`,
    });
  });

  it('does not follow a redirect: the signed body goes to the configured URL only', async () => {
    const elsewhere = await receiver();
    const redirecting = createServer((_req, res) => res.writeHead(307, { location: elsewhere.url }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirecting.address() as AddressInfo;
      const outcome = await sendWebhook(webhookTarget(`http://127.0.0.1:${port}/hook`), request, {
        timeoutMs: 2000,
      });
      expect(outcome).toEqual({ ok: false, status: 307, error: 'HTTP 307' });
      expect(elsewhere.requests).toEqual([]);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('says when the receiver did not answer in time', async () => {
    const hook = await receiver(() => 'hang');
    expect(await sendWebhook(webhookTarget(hook.url), request, { timeoutMs: 200 })).toEqual({
      ok: false,
      error: 'no answer within 200 ms',
    });
    expect(hook.requests).toHaveLength(1);
  });

  it('says why the connection failed', async () => {
    const hook = await receiver();
    const url = hook.url;
    await hook.close();
    receivers.pop();
    const outcome = await sendWebhook(webhookTarget(url), request, { timeoutMs: 2000 });
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('stops when the caller aborts (shutdown, lost lease)', async () => {
    const hook = await receiver(() => 'hang');
    const abort = new AbortController();
    const sending = sendWebhook(webhookTarget(hook.url), request, {
      timeoutMs: 30_000,
      signal: abort.signal,
    });
    while (hook.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort(new Error('shutting down'));
    expect(await sending).toEqual({ ok: false, error: 'aborted: shutting down' });
  });

  it('sends credentials from the URL as Basic authorization', async () => {
    const hook = await receiver();
    const withCredentials = hook.url.replace('http://', 'http://alerts:s3cr%3At@');
    expect(await sendWebhook(webhookTarget(withCredentials), request, { timeoutMs: 2000 })).toMatchObject({
      ok: true,
    });
    expect(hook.requests[0].headers.authorization).toBe(
      `Basic ${Buffer.from('alerts:s3cr:t').toString('base64')}`,
    );
  });
});
