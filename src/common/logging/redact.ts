// Secrets never reach a log line: values under secret-bearing names (any case, `-`/`_` ignored),
// secret-bearing query parameters inside URLs, bearer tokens and `sk-` keys inside text.

export const REDACTED = '[Redacted]';

// Names compared after lower-casing and dropping `-` and `_` ("X-Api-Key" → "xapikey").
const SECRET_NAMES = new Set([
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'xapikey',
  'apikey',
  'key',
  'sign',
  'signature',
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'privatekey',
  'webhookkey',
  'credentials',
  'ak',
  'sk',
]);
const SECRET_SUFFIXES = ['password', 'secret', 'token', 'apikey', 'privatekey', 'signature', 'keyhash', 'encrypted'];

export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_NAMES.has(n) || SECRET_SUFFIXES.some((s) => n.endsWith(s));
}

const QUERY_PARAM = /([?&;])([^=&;#\s]+)=([^&;#\s]*)/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const API_KEY = /\bsk-[A-Za-z0-9_-]{8,}/g;

// Query parameters with a secret-bearing name keep their name, lose their value.
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(QUERY_PARAM, (all, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    return isSecretName(decoded) ? `${sep}${name}=${REDACTED}` : all;
  });
}

export function redactText(text: string): string {
  const withQuery = text.includes('=') ? (redactUrl(text) as string) : text;
  return withQuery.replace(BEARER, `$1 ${REDACTED}`).replace(API_KEY, `sk-${REDACTED}`);
}

// A copy of `value` with every secret removed; bounded in depth and breadth so logging stays cheap.
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 8) return '[Truncated]';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (n++ >= 200) break;
    out[k] = isSecretName(k) && v !== null && v !== undefined && v !== '' ? REDACTED : redactDeep(v, depth + 1);
  }
  return out;
}
