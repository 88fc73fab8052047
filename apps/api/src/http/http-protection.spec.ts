import { createHash } from 'node:crypto';

import { RateLimitKeys } from './http-protection.js';

const SECRET = 'integration-key-rate-limit-spec-0123456789';
const DEVELOPMENT = 'dev_development-key-rate-limit-spec-0123456789';
const keys = new RateLimitKeys(
  { auth: { apiKeys: [{ role: 'integration', principalId: 'crm-sync', secret: SECRET }], jwt: undefined } },
  DEVELOPMENT,
);
const request = (headers: Record<string, string>, url = '/v1/accounts') => ({ url, ip: '10.0.0.9', headers });

describe('RateLimitKeys', () => {
  it('counts a configured API key against its principal, however it is sent', () => {
    expect(keys.keyOf(request({ authorization: `Bearer ${SECRET}` }))).toBe('principal:crm-sync');
    expect(keys.keyOf(request({ 'x-api-key': SECRET }))).toBe('principal:crm-sync');
    expect(keys.keyOf(request({ authorization: `Bearer ${DEVELOPMENT}` }))).toBe('principal:development');
  });

  it('counts a JWT by its digest, never the token itself', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const key = keys.keyOf(request({ authorization: `Bearer ${token}` }));
    expect(key).toBe(`jwt:${createHash('sha256').update(token).digest('hex')}`);
    expect(key).not.toContain(token);
  });

  it('counts anything else against the address: no credential, an unknown key, a malformed header', () => {
    const anonymous: Record<string, string>[] = [
      {},
      { authorization: 'Bearer not-a-key-0123456789abcdefghijklmn' },
      { authorization: 'Basic x' },
    ];
    for (const headers of anonymous) expect(keys.keyOf(request(headers))).toBe('ip:10.0.0.9');
  });

  it('leaves health probes and metrics scrapes out', () => {
    for (const url of ['/health/live', '/health/ready', '/metrics', '/metrics?x=1']) {
      expect(keys.keyOf(request({ authorization: `Bearer ${SECRET}` }, url))).toBe('unlimited');
    }
    expect(keys.keyOf(request({}, '/metricsx'))).toBe('ip:10.0.0.9');
  });
});
