// The console's API types, generated from docs/openapi.json (the document the server writes with
// `npm run openapi`), so the console cannot drift from the API. Used by `npm run console:api`
// and by the test that fails while web/src/api/schema.d.ts is stale.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

export const OPENAPI_JSON = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
export const SCHEMA_TS = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

const HEADER =
  '// Generated from docs/openapi.json by `npm run console:api` (also run by `npm run openapi`). Do not edit.\n\n';

export async function generateApiTypes() {
  const doc = JSON.parse(readFileSync(OPENAPI_JSON, 'utf8'));
  // Objects without declared properties (maps such as counts or multipliers) become Record<string, unknown>.
  const ast = await openapiTS(doc, { emptyObjectsUnknown: true, defaultNonNullable: false });
  return HEADER + astToString(ast);
}
