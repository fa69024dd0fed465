import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { generateOpenApiDocument, OPENAPI_PATH, serializeOpenApi } from './openapi-document';

// `npm run openapi`: regenerate docs/openapi.json (a test fails while it is stale).
void generateOpenApiDocument().then((doc) => {
  writeFileSync(OPENAPI_PATH, serializeOpenApi(doc));
  process.stdout.write(`wrote ${OPENAPI_PATH}\n`);
});
