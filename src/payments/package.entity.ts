import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

@Entity('packages')
export class CreditPackage {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  // Price in fen (CNY cents).
  @Column({ name: 'price_fen', type: 'int' })
  priceFen!: number;

  // Credits granted, in quota units.
  @Column(bigintColumn())
  credits!: number;

  @Column({ name: 'grants_plan', type: 'varchar', length: 32, nullable: true })
  grantsPlan!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: 'active' | 'inactive';

  @Column({ type: 'int' })
  sort!: number;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
