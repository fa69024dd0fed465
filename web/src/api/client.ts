import createClient, { type Middleware } from 'openapi-fetch';
import { sessionStore } from '../auth/session';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

export interface FieldError {
  field: string;
  message: string;
}

// Reelay's one error shape, `{ error: { code, message, details }, request_id }`, as a thrown error.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get fieldErrors(): FieldError[] {
    return Array.isArray(this.details)
      ? (this.details as unknown[]).filter(
          (d): d is FieldError => typeof d === 'object' && d !== null && 'field' in d && 'message' in d,
        )
      : [];
  }
}

export function toApiError(status: number, body: unknown, fallback = 'Request failed'): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const requestId = (body as { request_id?: unknown } | null)?.request_id;
  return new ApiError(
    status,
    typeof err?.code === 'string' ? err.code : `http_${status}`,
    typeof err?.message === 'string' ? err.message : fallback,
    err?.details ?? null,
    typeof requestId === 'string' ? requestId : null,
  );
}

// The session's bearer unless the caller chose its own (the playground may use an API key); a 401
// on the session's own token ends the session.
const auth: Middleware = {
  onRequest({ request }) {
    const token = sessionStore.get()?.token;
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    const token = sessionStore.get()?.token;
    if (response.status === 401 && token && request.headers.get('authorization') === `Bearer ${token}`) {
      sessionStore.clear('expired');
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

// Any thrown value as one line of text.
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}

// openapi-fetch answers `{ data, error, response }`; the console wants data or a thrown ApiError.
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw toApiError(response.status, error, response.statusText);
  return data as T;
}
