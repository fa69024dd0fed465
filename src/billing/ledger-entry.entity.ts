import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const LEDGER_KINDS = ['topup', 'hold', 'capture', 'release', 'adjustment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const REF_TYPES = ['task', 'order', 'admin', 'batch'] as const;
export type RefType = (typeof REF_TYPES)[number];

// What a money movement is about: the task, the order or the admin action.
export interface LedgerRef {
  type: RefType;
  id: string;
}

// Append-only: rows are inserted, never updated or deleted.
@Entity('ledger_entries')
export class LedgerEntry {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: LedgerKind;

  // Effect on the balance (quota units, signed).
  @Column(bigintColumn())
  amount!: number;

  // Effect on the held amount (quota units, signed).
  @Column(bigintColumn({ name: 'held_delta' }))
  heldDelta!: number;

  // Unique: `hold:<ref>`, `settle:<ref>` (capture or release), `topup:<ref>`, `adjust:<ref>`.
  @Column({ name: 'op_key', type: 'varchar', length: 191 })
  opKey!: string;

  @Column({ name: 'ref_type', type: 'varchar', length: 16 })
  refType!: RefType;

  @Column({ name: 'ref_id', type: 'varchar', length: 160 })
  refId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  note!: string | null;

  @Column(bigintColumn({ name: 'actor_id', nullable: true }))
  actorId!: number | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;
}
