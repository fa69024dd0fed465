import { ApiProperty } from '@nestjs/swagger';
import { StoreFields } from './media.service';

// Reelay's copy of a video, as every task view shows it beside the provider's `video_url`.
export class StoredCopyDto implements StoreFields {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'A signed, expiring link to the copy Reelay keeps (null until stored); works without a key',
  })
  store_url!: string | null;

  @ApiProperty({ nullable: true, enum: ['pending', 'stored', 'failed'], description: 'null: no copy (failed task)' })
  store_status!: 'pending' | 'stored' | 'failed' | null;

  @ApiProperty({ nullable: true, type: String, description: 'Why the copy failed (the provider link remains)' })
  store_error!: string | null;
}

export const NOT_STORED: StoreFields = { store_url: null, store_status: null, store_error: null };
