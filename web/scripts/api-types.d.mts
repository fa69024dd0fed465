export const OPENAPI_JSON: string;
export const SCHEMA_TS: string;
export function generateApiTypes(): Promise<string>;
