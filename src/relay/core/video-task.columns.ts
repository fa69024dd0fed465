import { VideoTask } from './video-task.entity';

// The `videos` columns by entity field, for the repository's plain SQL on the hot paths (submit,
// callback, query): the same names TypeORM maps, read back under the field names.
export const TASK_COLUMNS: Record<keyof VideoTask, string> = {
  id: 'id',
  taskId: 'task_id',
  videoId: 'video_id',
  userId: 'user_id',
  channelId: 'channel_id',
  model: 'model',
  provider: 'provider',
  type: 'type',
  status: 'status',
  quota: 'quota',
  prompt: 'prompt',
  duration: 'duration',
  storeUrl: 'store_url',
  failReason: 'fail_reason',
  upstreamTaskId: 'upstream_task_id',
  requestKind: 'request_kind',
  requestParams: 'request_params',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  nextPollAtMs: 'next_poll_at_ms',
  leaseOwner: 'lease_owner',
  leaseUntilMs: 'lease_until_ms',
  pollCount: 'poll_count',
  pollIntervalMs: 'poll_interval_ms',
  finishedAt: 'finished_at',
  processingAt: 'processing_at',
  owner: 'owner',
  ownerRef: 'owner_ref',
  pollSchedule: 'poll_schedule',
  deadlineAtMs: 'deadline_at_ms',
  api: 'api',
  clientRef: 'client_ref',
  clientCallbackUrl: 'client_callback_url',
  tokenId: 'token_id',
  endedBy: 'ended_by',
};

const FIELDS = Object.keys(TASK_COLUMNS) as Array<keyof VideoTask>;

// `SELECT <this> FROM videos`: every column under its field name.
export const TASK_SELECT = FIELDS.map((f) => `\`${TASK_COLUMNS[f]}\` AS \`${f}\``).join(', ');

// Fields inserted with a new task (the id is the database's).
export const TASK_INSERT_FIELDS = FIELDS.filter((f) => f !== 'id');
export const TASK_INSERT_SQL = `INSERT INTO \`videos\` (${TASK_INSERT_FIELDS.map((f) => `\`${TASK_COLUMNS[f]}\``).join(
  ', ',
)}) VALUES (${TASK_INSERT_FIELDS.map(() => '?').join(', ')})`;

// A row as the driver returns it: BIGINT may arrive as a string (MySQL past 2^53 never happens
// here, but a driver option could), so the numeric fields are made numbers as the entity's do.
const NUMERIC: Array<keyof VideoTask> = [
  'id',
  'userId',
  'channelId',
  'quota',
  'createdAt',
  'updatedAt',
  'nextPollAtMs',
  'leaseUntilMs',
  'pollCount',
  'pollIntervalMs',
  'finishedAt',
  'processingAt',
  'deadlineAtMs',
  'tokenId',
];

export function toVideoTask(row: Record<string, unknown>): VideoTask {
  const task = Object.assign(new VideoTask(), row);
  for (const f of NUMERIC) {
    const v = row[f];
    if (typeof v === 'string') (task as unknown as Record<string, unknown>)[f] = Number(v);
  }
  return task;
}
