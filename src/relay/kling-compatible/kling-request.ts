import { RelayKind, RelayRequest } from './kling-compatible.dto';

// What goes to Kling: the caller's fields minus Reelay's own (model is mapped by the client;
// image2video's aspect_ratio is for pricing only; callback_url and external_task_id are always
// Reelay's, injected by the client).
export function toUpstreamBody(kind: RelayKind, dto: RelayRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { ...dto };
  delete body.model;
  delete body.callback_url; // the client's: Reelay gives Kling its own, and calls the client's itself
  delete body.external_task_id;
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
