import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

export const PASSWORD_LINK_PURPOSES = ['setup', 'reset'] as const;
export type PasswordLinkPurpose = (typeof PASSWORD_LINK_PURPOSES)[number];

// A one-time link that sets a user's password. Only the token's hash is stored; `used_at` is set
// when it is redeemed or superseded by a newer link, so it works at most once.
@Entity('password_links')
export class PasswordLink {
  @PrimaryColumn({ type: 'bigint', transformer: bigintNumber })
  @Generated('increment')
  id!: number;

  @Column(bigintColumn({ name: 'user_id' }))
  userId!: number;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: PasswordLinkPurpose;

  @Column(bigintColumn({ name: 'created_by', nullable: true }))
  createdBy!: number | null;

  @Column(bigintColumn({ name: 'expires_at' }))
  expiresAt!: number;

  @Column(bigintColumn({ name: 'used_at', nullable: true }))
  usedAt!: number | null;

  @Column(bigintColumn({ name: 'created_at' }))
  createdAt!: number;
}
