// @vitest-environment node
import { readFileSync } from 'node:fs';
import { generateApiTypes, SCHEMA_TS } from '../../scripts/api-types.mjs';

describe('src/api/schema.d.ts', () => {
  it('matches docs/openapi.json (run `npm run console:api`, or `npm run openapi` after an API change)', async () => {
    expect(readFileSync(SCHEMA_TS, 'utf8')).toBe(await generateApiTypes());
  });
});
