// Secrets never reach the audit trail. Snapshots are built from what the API shows (masked keys,
// "is set" flags), and this pass masks whatever a snapshot still carries under a secret's name
// or in a secret's shape, at any depth.
export const MASKED = '[masked]';

// Field names that hold a secret: keys (key, webhook_key, apiKey), passwords and their hashes,
// tokens, encrypted values.
const SECRET_WORD = /password|passwd|secret|token|hash|encrypted|private|credential|api_?key|(^|_)key$/i;
const CAMEL_KEY = /[a-z]Key$/;
// Names that only say something about a secret: a masked hint, whether one is set or changed.
const ABOUT_A_SECRET = /(_|^)(masked|hint|set|changed|prefix)$|(Masked|Hint|Set|Changed|Prefix)$/;
// Values shaped like a secret whatever their field: Reelay API keys, JWTs, password hashes.
const SECRET_VALUE = [/sk-[A-Za-z0-9]{16,}/g, /eyJ[\w-]+\.[\w-]+\.[\w-]+/g, /\$argon2[\w$=,.+/-]+/g];

export function isSecretName(name: string): boolean {
  return (SECRET_WORD.test(name) || CAMEL_KEY.test(name)) && !ABOUT_A_SECRET.test(name);
}

export function maskSecrets(value: unknown, name = ''): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (name && isSecretName(name) && typeof value !== 'boolean') return MASKED;
  if (typeof value === 'string') return SECRET_VALUE.reduce((s, re) => s.replace(re, MASKED), value);
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskSecrets(v, k)]));
  }
  return value;
}
