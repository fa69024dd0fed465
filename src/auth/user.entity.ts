import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

import { UserPlan, UserRole, UserStatus } from '../common/auth/auth-user';

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  @Column({ type: 'varchar', length: 16 })
  status!: UserStatus;

  @Column({ type: 'varchar', length: 32 })
  plan!: UserPlan;

  // Carried in session JWTs as `sv`; raising it ends every session issued before.
  @Column({ name: 'session_version', type: 'int', default: 0 })
  sessionVersion!: number;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;

  @Column(bigintColumn({ name: 'updated_at' }))
  updatedAt!: number;
}
