import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const ORDER_STATUSES = ['pending', 'paid', 'closed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

@Entity('payment_orders')
export class PaymentOrder {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'out_trade_no', type: 'varchar', length: 64 })
  outTradeNo!: string;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column(bigintColumn({ name: 'package_id' }))
  packageId!: number;

  @Column({ name: 'amount_fen', type: 'int' })
  amountFen!: number;

  @Column(bigintColumn())
  credits!: number;

  @Column({ name: 'grants_plan', type: 'varchar', length: 32, nullable: true })
  grantsPlan!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: OrderStatus;

  @Column({ name: 'trade_no', type: 'varchar', length: 64, nullable: true })
  tradeNo!: string | null;

  @Column(bigintColumn({ name: 'paid_at', nullable: true }))
  paidAt!: number | null;

  @Column(bigintColumn({ name: 'next_check_at', nullable: true }))
  nextCheckAt!: number | null;

  @Column({ name: 'check_count', type: 'int' })
  checkCount!: number;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
