import { generateKeyPairSync } from 'node:crypto';
import { inspectAlipayKeys } from '../../src/config/alipay-keys';
import { ConfigError, loadConfig } from '../../src/config/load-config';

const rsa = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits });
const app = rsa();
const alipay = rsa();
const pkcs8 = app.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const pkcs1 = app.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const alipayPublic = alipay.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const bare = (pem: string) => pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

describe('Alipay keys', () => {
  it.each([
    ['PKCS#8 PEM', pkcs8, 'PKCS8'],
    ['PKCS#1 PEM', pkcs1, 'PKCS1'],
    ['PKCS#8 base64 without headers', bare(pkcs8), 'PKCS8'],
    ['PKCS#1 base64 without headers', bare(pkcs1), 'PKCS1'],
  ])('detects the private key format of %s', (_label, key, type) => {
    const keys = inspectAlipayKeys(key, bare(alipayPublic));
    expect(keys).toMatchObject({
      privateKeyType: type,
      summary: `ALIPAY_PRIVATE_KEY ${type} RSA-2048, ALIPAY_PUBLIC_KEY RSA-2048`,
    });
  });

  it.each([
    ['a private key that is not a key', 'x'.repeat(200), alipayPublic, 'ALIPAY_PRIVATE_KEY is not an RSA private key'],
    ['a public key that is not a key', pkcs8, 'y'.repeat(200), 'ALIPAY_PUBLIC_KEY is not an RSA public key'],
    [
      'a short RSA key',
      rsa(1024).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      alipayPublic,
      'RSA-1024',
    ],
    [
      'the app key pair given twice',
      pkcs8,
      app.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      "Alipay's public key",
    ],
  ])('refuses %s with a sentence naming the variable', (_label, priv, pub, words) => {
    expect(inspectAlipayKeys(priv, pub)).toEqual(expect.stringContaining(words));
  });

  it('checks the keys when the configuration is read, and refuses a contradicting ALIPAY_KEY_TYPE', () => {
    const env = {
      DATA_DIR: '/tmp',
      ALIPAY_APP_ID: '2021000000000001',
      ALIPAY_PRIVATE_KEY: pkcs1,
      ALIPAY_PUBLIC_KEY: alipayPublic,
    };
    expect(loadConfig(env).alipay).toMatchObject({ keyType: 'PKCS1' });
    expect(() => loadConfig({ ...env, ALIPAY_KEY_TYPE: 'PKCS8' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, ALIPAY_PRIVATE_KEY: 'z'.repeat(120) })).toThrow(/ALIPAY_PRIVATE_KEY/);
  });
});
