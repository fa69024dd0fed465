import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

// Quota units. available = balance - held, kept >= 0 by every conditional UPDATE.
@Entity('credit_accounts')
export class CreditAccount {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', transformer: bigintNumber })
  userId!: number;

  @Column(bigintColumn())
  balance!: number;

  @Column(bigintColumn())
  held!: number;

  @Column(bigintColumn())
  used!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
