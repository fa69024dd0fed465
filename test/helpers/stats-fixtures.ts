import { DataSource } from 'typeorm';

// A `videos` row as the relay would have left it, for stats fixtures written straight into the
// table (the figures are about rows, whatever made them).
export interface VideoRow {
  taskId: string;
  userId: number;
  channelId: number | null;
  model: string;
  provider: string;
  status: string;
  endedBy: string | null;
  quota: number;
  createdAt: number;
  finishedAt: number | null;
}

const VIDEO_COLUMNS =
  'task_id, user_id, channel_id, model, provider, type, status, ended_by, quota, created_at, updated_at, finished_at, owner, poll_schedule, deadline_at_ms';

// Inserts rows in multi-row statements of `chunk` (100k rows in a few seconds on either database).
export async function insertVideos(ds: DataSource, rows: VideoRow[], chunk = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params: unknown[] = [];
    const values = part.map((r) => {
      params.push(
        r.taskId,
        r.userId,
        r.channelId,
        r.model,
        r.provider,
        'text2video',
        r.status,
        r.endedBy,
        r.quota,
        r.createdAt,
        r.finishedAt ?? r.createdAt,
        r.finishedAt,
        'direct',
        '0:5000',
        r.createdAt * 1000 + 3_600_000,
      );
      return '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    });
    await ds.query(`INSERT INTO videos (${VIDEO_COLUMNS}) VALUES ${values.join(', ')}`, params);
  }
}

export interface OrderRow {
  outTradeNo: string;
  userId: number;
  packageId: number;
  amountFen: number;
  credits: number; // quota units
  status: 'pending' | 'paid' | 'closed';
  paidAt: number | null;
  createdAt: number;
}

export async function insertOrders(ds: DataSource, rows: OrderRow[]): Promise<void> {
  for (const o of rows) {
    await ds.query(
      `INSERT INTO payment_orders (out_trade_no, user_id, package_id, amount_fen, credits, status, paid_at, check_count, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      [o.outTradeNo, o.userId, o.packageId, o.amountFen, o.credits, o.status, o.paidAt, o.createdAt, o.createdAt],
    );
  }
}
