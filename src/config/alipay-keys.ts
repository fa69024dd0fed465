import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';

export interface AlipayKeys {
  privateKeyType: 'PKCS1' | 'PKCS8';
  privateKeyPem: string;
  publicKeyPem: string;
  summary: string;
}

const MIN_BITS = 2048;

// Reads both Alipay keys as operators paste them (PEM with or without headers, base64 on one
// line) and detects the private key's format, so a wrong ALIPAY_KEY_TYPE guess is no longer a 500
// at the first order. Returns the keys as PEM, or one sentence naming the variable that is wrong.
export function inspectAlipayKeys(privateKey: string, publicKey: string): AlipayKeys | string {
  const priv = readPrivateKey(privateKey);
  if (!priv) return 'ALIPAY_PRIVATE_KEY is not an RSA private key (PKCS#1 or PKCS#8, PEM or base64)';
  const privBits = rsaBits(priv.key);
  if (privBits === null) return 'ALIPAY_PRIVATE_KEY is not an RSA key (RSA2 needs RSA)';
  if (privBits < MIN_BITS) return `ALIPAY_PRIVATE_KEY is RSA-${privBits}; RSA2 needs at least ${MIN_BITS} bits`;
  const pub = readPublicKey(publicKey);
  if (!pub) return 'ALIPAY_PUBLIC_KEY is not an RSA public key (the "Alipay public key" from the console, base64)';
  const pubBits = rsaBits(pub);
  if (pubBits === null || pubBits < MIN_BITS)
    return `ALIPAY_PUBLIC_KEY must be an RSA key of at least ${MIN_BITS} bits`;
  if (
    pub
      .export({ type: 'spki', format: 'der' })
      .equals(createPublicKey(priv.key).export({ type: 'spki', format: 'der' }))
  ) {
    return "ALIPAY_PUBLIC_KEY is the public half of ALIPAY_PRIVATE_KEY: it must be Alipay's public key, not your app's";
  }
  return {
    privateKeyType: priv.type,
    privateKeyPem: priv.key.export({ type: priv.type === 'PKCS1' ? 'pkcs1' : 'pkcs8', format: 'pem' }) as string,
    publicKeyPem: pub.export({ type: 'spki', format: 'pem' }) as string,
    summary: `ALIPAY_PRIVATE_KEY ${priv.type} RSA-${privBits}, ALIPAY_PUBLIC_KEY RSA-${pubBits}`,
  };
}

function readPrivateKey(text: string): { type: 'PKCS1' | 'PKCS8'; key: KeyObject } | null {
  const der = derOf(text);
  if (!der) return null;
  // The PEM header says which; without one, the DER structure does.
  const order: Array<'PKCS1' | 'PKCS8'> = /BEGIN RSA PRIVATE KEY/.test(text) ? ['PKCS1', 'PKCS8'] : ['PKCS8', 'PKCS1'];
  for (const type of order) {
    try {
      return { type, key: createPrivateKey({ key: der, format: 'der', type: type === 'PKCS1' ? 'pkcs1' : 'pkcs8' }) };
    } catch {
      // not this format
    }
  }
  return null;
}

function readPublicKey(text: string): KeyObject | null {
  const der = derOf(text);
  if (!der) return null;
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch {
      // not this format
    }
  }
  return null;
}

function derOf(text: string): Buffer | null {
  const body = text.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) return null;
  return Buffer.from(body, 'base64');
}

function rsaBits(key: KeyObject): number | null {
  return key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? null) : null;
}
