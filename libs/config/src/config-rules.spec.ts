import { hostAddress, integer, list, oneOf, startsWith, text, url } from './config-rules.js';
import { ConfigValidationError } from './config-validation.error.js';
import { EnvReader } from './env-reader.js';

describe('config rules', () => {
  it('integer checks the range and the form', () => {
    const rule = integer({ min: 10, max: 20 });
    expect(rule.parse('15')).toEqual({ ok: true, value: 15 });
    expect(rule.parse('+10')).toEqual({ ok: true, value: 10 });
    expect(rule.parse('9').ok).toBe(false);
    expect(rule.parse('21').ok).toBe(false);
    expect(rule.parse('0x10').ok).toBe(false);
    expect(rule.parse('99999999999999999999').ok).toBe(false);
    expect(rule.rule).toBe('must be an integer from 10 to 20');
  });

  it('oneOf accepts only the listed values, case-sensitively', () => {
    const rule = oneOf(['a', 'b']);
    expect(rule.parse('b')).toEqual({ ok: true, value: 'b' });
    expect(rule.parse('B').ok).toBe(false);
    expect(rule.rule).toBe('must be one of a, b');
  });

  it('text refuses the empty string', () => {
    expect(text().parse('x')).toEqual({ ok: true, value: 'x' });
    expect(text().parse('').ok).toBe(false);
  });

  it('hostAddress accepts IPv4, IPv6 and host names', () => {
    for (const host of ['0.0.0.0', '::', 'localhost', 'eventstore', 'a.b-c.example']) {
      expect(hostAddress().parse(host)).toEqual({ ok: true, value: host });
    }
    for (const host of ['-bad', 'a_b', 'a..b', 'host:80']) {
      expect(hostAddress().parse(host).ok).toBe(false);
    }
  });

  it('startsWith needs something after the prefix', () => {
    const rule = startsWith(['esdb://']);
    expect(rule.parse('esdb://h:1').ok).toBe(true);
    expect(rule.parse('esdb://').ok).toBe(false);
    expect(rule.parse('ESDB://h').ok).toBe(false);
  });

  it('url checks the scheme', () => {
    const rule = url(['https:']);
    expect(rule.parse('https://hooks.example.com/a')).toEqual({
      ok: true,
      value: 'https://hooks.example.com/a',
    });
    expect(rule.parse('http://hooks.example.com').ok).toBe(false);
    expect(rule.parse('not a url').ok).toBe(false);
    expect(rule.rule).toBe('must be a URL starting with https://');
  });

  it('list checks every entry and skips empty ones', () => {
    const rule = list(url(['http:', 'https:']));
    expect(rule.parse('https://a.example, http://b.example,')).toEqual({
      ok: true,
      value: ['https://a.example', 'http://b.example'],
    });
    expect(rule.parse('https://a.example,ftp://b.example').ok).toBe(false);
    expect(rule.rule).toBe(
      'must be a comma-separated list whose every entry must be a URL starting with http:// or https://',
    );
  });
});

describe('EnvReader', () => {
  it('keeps secret values out of the message', () => {
    const reader = new EnvReader({ AUTH_JWT_SECRET: 'short' });
    reader.read('AUTH_JWT_SECRET', integer({ min: 1, max: 2 }), 1, { secret: true });
    expect(() => reader.throwIfInvalid()).toThrow(
      new ConfigValidationError([
        { variable: 'AUTH_JWT_SECRET', message: 'AUTH_JWT_SECRET: must be an integer from 1 to 2' },
      ]),
    );
    try {
      reader.throwIfInvalid();
    } catch (error) {
      expect((error as Error).message).not.toContain('short');
    }
  });

  it('records rules that span several variables', () => {
    const reader = new EnvReader({});
    reader.problem('AUTH_JWT_SECRET', 'must not be set together with AUTH_JWT_PUBLIC_KEY');
    expect(() => reader.throwIfInvalid()).toThrow(
      'AUTH_JWT_SECRET: must not be set together with AUTH_JWT_PUBLIC_KEY',
    );
  });

  it('does not throw when everything fits', () => {
    const reader = new EnvReader({ N: '5' });
    expect(reader.read('N', integer({ min: 1, max: 9 }), 1)).toBe(5);
    expect(reader.optional('MISSING', text())).toBeUndefined();
    expect(() => reader.throwIfInvalid()).not.toThrow();
  });
});
