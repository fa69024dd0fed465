import * as argon2 from 'argon2';
import { PasswordHasher } from '../../src/auth/password-hasher.service';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it("hashes with argon2id at OWASP's baseline, whatever the library's defaults are", async () => {
    const hash = await hasher.hash('correct horse battery staple');
    const [, type, , params] = hash.split('$');
    expect(type).toBe('argon2id');
    expect(Object.fromEntries(params.split(',').map((kv) => kv.split('=')))).toEqual({ m: '19456', t: '2', p: '1' });
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(hash, 'correct horse battery stapler')).toBe(false);
  });

  it('verifies a hash made under other parameters (hashes stored before) and refuses garbage', async () => {
    const older = await argon2.hash('s3cret-enough', {
      type: argon2.argon2id,
      memoryCost: 65_536,
      timeCost: 3,
      parallelism: 4,
    });
    expect(await hasher.verify(older, 's3cret-enough')).toBe(true);
    expect(hasher.needsRehash(older)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('s3cret-enough'))).toBe(false);
    expect(hasher.needsRehash('not a hash')).toBe(false);
    expect(await hasher.verify('not a hash', 's3cret-enough')).toBe(false);
    expect(await hasher.verify(null, 's3cret-enough')).toBe(false);
  });
});
