import {
  addressProblem,
  isAllowedHost,
  literalAddressProblem,
  parseAllowEntry,
  parseOutboundUrl,
} from '../../src/common/outbound/outbound-policy';
import { ALLOWED_URLS, FORBIDDEN_URLS } from '../helpers/outbound-payloads';

describe('outbound URL policy', () => {
  it('has a large corpus of hostile URLs', () => {
    expect(FORBIDDEN_URLS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(FORBIDDEN_URLS)('refuses %s', (url) => {
    expect(literalAddressProblem(url, [])).toEqual(expect.any(String));
  });

  it.each(ALLOWED_URLS)('accepts the public %s', (url) => {
    expect(literalAddressProblem(url, [])).toBeNull();
  });

  it('normalises unicode, full-width, octal, hex and integer spellings before judging', () => {
    for (const url of [
      'http://①②⑦.⓪.⓪.①',
      'http://127。0。0。1',
      'http://0x7f000001',
      'http://0177.0.0.1',
      'http://2130706433',
    ]) {
      const parsed = parseOutboundUrl(url);
      expect(parsed.ok && parsed.url.hostname).toBe('127.0.0.1');
    }
  });

  it('names the range it refuses', () => {
    expect(addressProblem('127.0.0.1')).toBe('points at a loopback address (127.0.0.1)');
    expect(addressProblem('169.254.169.254')).toContain('link-local');
    expect(addressProblem('::ffff:7f00:1')).toContain('IPv4-mapped');
    expect(addressProblem('::7f00:1')).toContain('IPv4-compatible');
    expect(addressProblem('100.64.0.1')).toContain('carrier-grade NAT');
    expect(addressProblem('8.8.8.8')).toBeNull();
  });

  it('lets OUTBOUND_ALLOW_HOSTS entries through, by host or by host and port only', () => {
    const allow = ['127.0.0.1:4010', 'sim.internal', '[::1]'].map((e) => parseAllowEntry(e)!);
    expect(isAllowedHost(allow, '127.0.0.1', 4010)).toBe(true);
    expect(isAllowedHost(allow, '127.0.0.1', 4011)).toBe(false);
    expect(isAllowedHost(allow, 'SIM.internal', 80)).toBe(true);
    expect(isAllowedHost(allow, '::1', 8080)).toBe(true);
    // Another spelling of an allowed address is the same host.
    expect(literalAddressProblem('http://0x7f000001:4010', ['127.0.0.1:4010'])).toBeNull();
    expect(literalAddressProblem('http://0x7f000001:4011', ['127.0.0.1:4010'])).toContain('loopback');
    expect(parseAllowEntry('http://x/y')).toBeNull();
  });
});
