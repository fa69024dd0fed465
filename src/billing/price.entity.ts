import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';
import type { PriceRule } from './pricing';

@Entity('prices')
export class Price {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  model!: string;

  @Column({ type: 'varchar', length: 16 })
  scheme!: PriceRule['scheme'];

  // The rule as JSON (quota units, multipliers in thousandths).
  @Column({ type: 'text' })
  rule!: string;

  @Column(bigintColumn({ name: 'updated_by', nullable: true }))
  updatedBy!: number | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
