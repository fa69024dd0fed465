import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn } from '../database/columns';

@Entity('settings')
export class Setting {
  @PrimaryColumn({ name: 'setting_key', type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  // Bumped on every write, so a compare-and-set never overwrites a change it did not see.
  @Column({ type: 'int' })
  version!: number;

  @Column(bigintColumn({ name: 'updated_by', nullable: true }))
  updatedBy!: number | null;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
