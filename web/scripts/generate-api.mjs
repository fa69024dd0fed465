import { writeFileSync } from 'node:fs';
import { generateApiTypes, SCHEMA_TS } from './api-types.mjs';

writeFileSync(SCHEMA_TS, await generateApiTypes());
process.stdout.write(`wrote ${SCHEMA_TS}\n`);
