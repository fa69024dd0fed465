import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { bigint, varchar } from './helpers';

const DIRECT_SCHEDULE = '0:5000,60000:10000,300000:30000,900000:60000';
// Seed 004's production batch schedules and timeouts, which poll_class used to stand for.
const BATCH = {
  '720p': { schedule: '0:3000,60000:5000,180000:8000', timeoutMs: 300_000 },
  '1080p': { schedule: '0:5000,180000:8000,480000:12000', timeoutMs: 900_000 },
};

// Relay core (#10, #17): a task names its owner and carries the poll schedule and deadline its
// owner resolved at submit, instead of flags the core interpreted (billed_by, poll_class); an
// Idempotency-Key is held under a lease and records what its request created.
export class RelayOwners1732700000000 implements MigrationInterface {
  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('videos', [
      new TableColumn(varchar('owner', 16, { default: "'direct'" })),
      new TableColumn(varchar('owner_ref', 64, { isNullable: true })),
      new TableColumn(varchar('poll_schedule', 255, { default: `'${DIRECT_SCHEDULE}'` })),
      new TableColumn(bigint('deadline_at_ms', { default: 0 })),
    ]);
    await qr.query(`UPDATE videos SET deadline_at_ms = created_at * 1000 + 3600000 WHERE billed_by IS NULL`);
    for (const [resolution, c] of Object.entries(BATCH)) {
      await qr.query(
        `UPDATE videos SET owner = 'batch', poll_schedule = ?, deadline_at_ms = created_at * 1000 + ${c.timeoutMs}
         WHERE billed_by = 'batch' AND poll_class = ?`,
        [c.schedule, resolution],
      );
    }
    await qr.query(
      `UPDATE videos SET owner_ref = (SELECT CAST(i.id AS CHAR) FROM batch_items i WHERE i.task_id = videos.task_id)
       WHERE billed_by = 'batch'`,
    );
    await this.reopenUnsettledBatchTasks(qr);
    await qr.dropColumn('videos', 'billed_by');
    await qr.dropColumn('videos', 'poll_class');
    await qr.addColumns('idempotency_keys', [
      new TableColumn(varchar('lease_token', 32, { isNullable: true })),
      new TableColumn(bigint('lease_until_ms', { isNullable: true })),
      new TableColumn(varchar('resource_type', 16, { isNullable: true })),
      new TableColumn(varchar('resource_id', 64, { isNullable: true })),
    ]);
  }

  // Batch items used to settle in a later engine tick. An item whose task ended before this
  // upgrade but was not settled yet would wait forever now that items settle in their task's own
  // transaction: its task is reopened, and the poller learns its end again from the upstream
  // (or times it out), settling the item that time.
  private async reopenUnsettledBatchTasks(qr: QueryRunner): Promise<void> {
    await qr.query(
      `UPDATE batch_items SET status = 'running', lease_owner = NULL, lease_until_ms = NULL
       WHERE status = 'dispatching' AND task_id IS NOT NULL`,
    );
    await qr.query(
      `UPDATE videos SET status = CASE WHEN upstream_task_id IS NULL THEN 'unknown' ELSE 'processing' END,
         finished_at = NULL, fail_reason = NULL, next_poll_at_ms = ?, lease_owner = NULL, lease_until_ms = NULL
       WHERE owner = 'batch' AND status IN ('succeed', 'failed')
         AND task_id IN (SELECT i.task_id FROM batch_items i WHERE i.status = 'running' AND i.task_id IS NOT NULL)`,
      [Date.now()],
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumns('idempotency_keys', ['resource_id', 'resource_type', 'lease_until_ms', 'lease_token']);
    await qr.addColumns('videos', [
      new TableColumn(varchar('poll_class', 16, { isNullable: true })),
      new TableColumn(varchar('billed_by', 16, { isNullable: true })),
    ]);
    await qr.query(
      `UPDATE videos SET billed_by = 'batch',
         poll_class = CASE WHEN deadline_at_ms - created_at * 1000 > 300000 THEN '1080p' ELSE '720p' END
       WHERE owner = 'batch'`,
    );
    await qr.dropColumns('videos', ['deadline_at_ms', 'poll_schedule', 'owner_ref', 'owner']);
  }
}
