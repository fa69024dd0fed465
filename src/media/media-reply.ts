import type { FastifyReply } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { toErrorResponse } from '../common/errors/error-response';
import { MediaRead } from './media.service';
import { ReadConditions } from './media-response';

export function readConditions(headers: Record<string, string | string[] | undefined>): ReadConditions {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  return { range: one(headers.range), ifNoneMatch: one(headers['if-none-match']), ifRange: one(headers['if-range']) };
}

// Writes a planned read: status, headers, then the stream (Fastify handles backpressure and
// destroys the stream when the client goes away). A 416 carries the usual error body.
export function sendMedia(reply: FastifyReply, read: MediaRead): FastifyReply {
  void reply.status(read.plan.status).headers(read.plan.headers);
  if (read.plan.status === 416) {
    const err = new DomainError(ErrorCode.RangeNotSatisfiable, 'The requested range is outside the file');
    return reply.type('application/json; charset=utf-8').send(toErrorResponse(err, String(reply.request.id)).body);
  }
  return reply.send(read.body ?? undefined);
}
