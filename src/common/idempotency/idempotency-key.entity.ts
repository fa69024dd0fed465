import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../database/columns';

// One `Idempotency-Key` of one user. While a request runs it holds the key under a lease it
// renews; whatever the request creates records itself here (resource_*) in the transaction that
// creates it, so a retry after a crash finds it instead of creating it again.
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ name: 'idem_key', type: 'varchar', length: 128 })
  key!: string;

  @Column({ type: 'varchar', length: 64 })
  scope!: string;

  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: 'in_flight' | 'done';

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  // The request holding the key and until when (ms); a lapsed lease means that request died.
  @Column({ name: 'lease_token', type: 'varchar', length: 32, nullable: true })
  leaseToken!: string | null;

  @Column(bigintColumn({ name: 'lease_until_ms', nullable: true }))
  leaseUntilMs!: number | null;

  // What the request created ('task', 'batch', 'order'), once it has.
  @Column({ name: 'resource_type', type: 'varchar', length: 16, nullable: true })
  resourceType!: string | null;

  @Column({ name: 'resource_id', type: 'varchar', length: 64, nullable: true })
  resourceId!: string | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'expires_at' }))
  expiresAt!: number;
}
