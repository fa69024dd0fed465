import { isSecretName, MASKED, maskSecrets } from '../../src/audit/audit-mask';

describe('maskSecrets', () => {
  it('masks values under a secret’s name at any depth, and keeps what only describes a secret', () => {
    const out = maskSecrets({
      key: 'AK|SK',
      webhook_key: 'whk',
      api_key: 'viva',
      apiKey: 'viva',
      password: 'p',
      password_hash: 'h',
      keyEncrypted: 'enc',
      access_token: 'jwt',
      nested: [{ secret: 's', name: 'kept' }],
      key_masked: 'AKxx…|****',
      webhook_key_set: true,
      key_changed: true,
      key_prefix: 'sk-abcd1234',
      models: ['kling-v1-6-std'],
      priority: 3,
    });
    expect(out).toEqual({
      key: MASKED,
      webhook_key: MASKED,
      api_key: MASKED,
      apiKey: MASKED,
      password: MASKED,
      password_hash: MASKED,
      keyEncrypted: MASKED,
      access_token: MASKED,
      nested: [{ secret: MASKED, name: 'kept' }],
      key_masked: 'AKxx…|****',
      webhook_key_set: true,
      key_changed: true,
      key_prefix: 'sk-abcd1234',
      models: ['kling-v1-6-std'],
      priority: 3,
    });
  });

  it('masks values shaped like a secret under any name: API keys, JWTs, password hashes', () => {
    const key = `sk-${'a'.repeat(48)}`;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const hash = '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA';
    expect(maskSecrets({ reason: `refund for ${key}`, note: jwt, other: hash })).toEqual({
      reason: `refund for ${MASKED}`,
      note: MASKED,
      other: MASKED,
    });
  });

  it('keeps nulls and plain values as they are', () => {
    expect(maskSecrets(null)).toBeNull();
    expect(maskSecrets({ a: null, b: 1, c: false })).toEqual({ a: null, b: 1, c: false });
    expect(isSecretName('monkey')).toBe(false);
    expect(isSecretName('model')).toBe(false);
    expect(isSecretName('session_token')).toBe(true);
  });
});
