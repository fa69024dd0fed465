import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';

// Puts the API's per-field messages under the form's own fields; returns whether any matched.
export function applyFieldErrors(form: FormInstance, err: unknown, fieldMap: Record<string, string> = {}): boolean {
  if (!(err instanceof ApiError)) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as object));
  const fields = err.fieldErrors
    .map((f) => ({ name: fieldMap[f.field] ?? f.field, errors: [f.message] }))
    .filter((f) => known.has(f.name));
  form.setFields(fields);
  return fields.length > 0;
}
