// The one error shape: { error: { code, message, details }, request_id }, nothing else.
export function expectErrorShape(body: unknown, code?: string): void {
  const b = body as { error?: Record<string, unknown>; request_id?: unknown };
  expect(Object.keys(b).sort()).toEqual(['error', 'request_id']);
  expect(Object.keys(b.error ?? {}).sort()).toEqual(['code', 'details', 'message']);
  expect(typeof b.error?.code).toBe('string');
  expect(typeof b.error?.message).toBe('string');
  expect(typeof b.request_id).toBe('string');
  if (code) expect(b.error?.code).toBe(code);
}
