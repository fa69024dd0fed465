import { CryptoService } from '../common/crypto/crypto.service';
import { RelayKind, RelayRequest } from './kling.dto';

const CALLBACK_PURPOSE = 'kling-callback';

// The token in the callback URL Reelay injects: only Kling, which got the URL, can call back.
export function callbackToken(crypto: CryptoService, taskId: string): string {
  return crypto.hmac(CALLBACK_PURPOSE, taskId);
}

// What goes to Kling: the caller's fields minus Reelay's own (model is mapped by the client;
// image2video's aspect_ratio is for pricing only; callback_url and external_task_id are always
// Reelay's, injected by the client).
export function toUpstreamBody(kind: RelayKind, dto: RelayRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { ...dto };
  delete body.model;
  if (kind === 'image2video') delete body.aspect_ratio;
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

const LARGE = 2048;

// The request as stored on the task, with inline images left out (they can be megabytes).
export function toRequestParams(dto: RelayRequest): string {
  return JSON.stringify(dto, (_k, v: unknown) =>
    typeof v === 'string' && v.length > LARGE ? `[${v.length} characters omitted]` : v,
  );
}
