import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn, bigintNumber } from '../common/database/columns';

// What one API key has spent (held or charged) in one UTC day ('d20261130') or month ('m202611').
@Entity('api_token_spend')
export class TokenSpend {
  @PrimaryColumn({ name: 'token_id', type: 'bigint', transformer: bigintNumber })
  tokenId!: number;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  period!: string;

  @Column(bigintColumn())
  quota!: number;
}
