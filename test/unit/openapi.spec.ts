import { readFileSync } from 'node:fs';
import { generateOpenApiDocument, OPENAPI_PATH, serializeOpenApi } from '../../tools/openapi/openapi-document';

// Everything else needs credentials.
const PUBLIC = [
  '/health',
  '/api/auth',
  '/kling/callback',
  '/kie/callback',
  '/api/packages',
  '/api/models',
  '/api/payment/alipay/notify',
  '/media', // signed links: the token is the credential
];

describe('docs/openapi.json', () => {
  it('matches the API the code serves (run `npm run openapi` after an API change)', async () => {
    const current = serializeOpenApi(await generateOpenApiDocument());
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(current);
  });

  it('documents every operation with a response schema and its auth', async () => {
    const doc = await generateOpenApiDocument();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(
        ops as Record<string, { responses: object; security?: unknown[]; summary?: string }>,
      )) {
        const label = `${method.toUpperCase()} ${path}`;
        expect({ label, summary: typeof op.summary }).toEqual({ label, summary: 'string' });
        expect({ label, responses: Object.keys(op.responses).length > 0 }).toEqual({ label, responses: true });
        const isPublic = PUBLIC.some((p) => path === p || path.startsWith(`${p}/`));
        expect({ label, secured: (op.security?.length ?? 0) > 0 }).toEqual({ label, secured: !isPublic });
      }
    }
  });
});
