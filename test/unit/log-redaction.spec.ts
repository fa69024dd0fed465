import { QueryFailedError } from 'typeorm';
import { errSerializer } from '../../src/common/logging/logger.options';
import { isSecretName, redactDeep, redactUrl } from '../../src/common/logging/redact';
import { SECRET_PARAMS } from '../helpers/secret-params';

describe('log redaction', () => {
  it.each(SECRET_PARAMS)('redacts the %s query parameter in URLs, any case', (name) => {
    const url = redactUrl(`/api/x?page=2&${name}=s3cr3t-value&b=1`);
    expect(url).toBe(`/api/x?page=2&${name}=[Redacted]&b=1`);
  });

  it('keeps harmless parameters and names', () => {
    expect(redactUrl('/api/videos?page=2&page_size=10&key_prefix=sk-ab')).toBe(
      '/api/videos?page=2&page_size=10&key_prefix=sk-ab',
    );
    for (const name of ['page', 'keyword', 'monkey', 'model', 'key_prefix', 'idempotency'])
      expect(isSecretName(name)).toBe(false);
  });

  it('redacts secret-bearing names at any depth of a logged body, and bearer tokens and sk- keys in text', () => {
    const out = redactDeep({
      user: { email: 'a@b.c', Password: 'p1', nested: [{ 'X-Api-Key': 'k1', apiKey: 'k2' }] },
      headers: { Authorization: 'Bearer abc.def', cookie: 'sid=1' },
      note: 'called with Bearer eyJhbGciOi.x.y and sk-0123456789abcdefABCDEF',
      webhook_key: 'w',
      alipay_private_key: 'pk',
    });
    expect(JSON.stringify(out)).not.toMatch(/p1|k1|k2|abc\.def|sid=1|eyJhbGciOi|0123456789abcdef|"w"|"pk"/);
    expect(out).toMatchObject({
      user: { email: 'a@b.c', Password: '[Redacted]' },
      headers: { Authorization: '[Redacted]' },
    });
  });

  it('logs a database error without its statement or bound values', () => {
    const driverError = Object.assign(new Error("Duplicate entry 'alice@example.com' for key 'uq_users_email'"), {
      code: 'ER_DUP_ENTRY',
      sql: "INSERT INTO users (email, password_hash) VALUES ('alice@example.com', '$argon2id$v=19$...')",
    });
    const err = new QueryFailedError(
      'INSERT INTO users (email, password_hash) VALUES (?, ?)',
      ['alice@example.com', '$argon2id$v=19$...'],
      driverError,
    );
    const out = JSON.stringify(errSerializer(err));
    expect(out).not.toContain('alice@example.com');
    expect(out).not.toContain('argon2id');
    expect(out).not.toContain('INSERT INTO');
    expect(out).toContain('ER_DUP_ENTRY');
    expect(out).toContain("Duplicate entry '?' for key '?'");
  });
});
