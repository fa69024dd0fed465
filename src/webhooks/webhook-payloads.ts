// The bodies Reelay sends (pure). Event envelopes follow OpenAI's webhook events
// (`{ id, object: "event", created_at, type, data }`); a task's callback URL gets Kling's own
// callback body (providers.md §1.8) so Kling clients parse it unchanged.

// What the outbox needs of a finished task, as the terminal transaction left it (the relay
// core passes its VideoTask row: the field names match).
export interface TaskSnapshot {
  taskId: string;
  userId: number;
  model: string;
  type: string; // request kind: text2video, image2video, …
  status: string; // 'succeed' | 'failed'
  prompt?: string | null;
  duration: string | null;
  videoId?: string | null;
  // The provider's video URL (the `store_url` column of `videos`).
  storeUrl: string | null;
  failReason: string | null;
  createdAt: number; // unix seconds
  updatedAt?: number;
  finishedAt: number | null;
}

export interface BatchSnapshot {
  publicId: string;
  userId: number;
  status: string; // 'completed' | 'cancelled'
  total: number;
  counts: Record<string, number>;
  createdAt: number;
  finishedAt: number | null;
}

export interface EventEnvelope<T> {
  id: string;
  object: 'event';
  created_at: number;
  type: string;
  data: T;
}

export function envelope<T>(id: string, type: string, createdAt: number, data: T): EventEnvelope<T> {
  return { id, object: 'event', created_at: createdAt, type, data };
}

export function videoEventData(t: TaskSnapshot) {
  return {
    id: t.taskId,
    object: 'video' as const,
    status: t.status,
    model: t.model,
    type: t.type,
    duration: t.duration,
    video_url: t.status === 'succeed' ? t.storeUrl : null,
    fail_reason: t.status === 'failed' ? t.failReason : null,
    created_at: t.createdAt,
    finished_at: t.finishedAt,
  };
}

export function batchEventData(b: BatchSnapshot) {
  return {
    id: b.publicId,
    object: 'batch' as const,
    status: b.status,
    total: b.total,
    counts: b.counts,
    created_at: b.createdAt,
    finished_at: b.finishedAt,
  };
}

// Kling's callback body for a finished task: Reelay's task id, the client's external id
// echoed, times in milliseconds, the video in task_result on success.
export function klingCallbackBody(t: TaskSnapshot, externalTaskId: string | null) {
  const updatedSec = t.finishedAt ?? t.updatedAt ?? t.createdAt;
  const body: Record<string, unknown> = {
    task_id: t.taskId,
    task_status: t.status,
    task_status_msg: t.status === 'failed' ? (t.failReason ?? '') : '',
    task_info: externalTaskId ? { external_task_id: externalTaskId } : {},
    created_at: t.createdAt * 1000,
    updated_at: updatedSec * 1000,
  };
  if (t.status === 'succeed') {
    body.task_result = {
      videos: [{ id: t.videoId ?? t.taskId, url: t.storeUrl ?? '', duration: t.duration ?? '' }],
    };
  }
  return body;
}
