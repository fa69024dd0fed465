import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { quotaToCredits } from '../common/money/money';
import { AuthUser } from '../common/auth/auth-user';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { MediaStorage } from '../media/media-storage';
import { BatchRepository, DownloadRow } from './batch.repository';
import { streamZip } from './batch-zip';

export interface BatchZip {
  fileName: string;
  // Known up front (videos are stored, not compressed, and their sizes are recorded).
  size: number | null;
  stream: Readable;
}

const MANIFEST_COLUMNS = [
  'idx',
  'prompt',
  'model',
  'resolution',
  'duration',
  'status',
  'credits_charged',
  'task_id',
  'sha256',
  'error',
  'file',
];

// A batch as one ZIP: each stored video as `{idx}-{slug of prompt}.mp4` plus manifest.csv
// (every item, finished or not). Entries are streamed one at a time from MediaStorage (yazl
// opens an object only when its turn comes), so memory stays flat whatever the batch's size,
// and it works while the batch still runs: unfinished items are only in the manifest.
@Injectable()
export class BatchDownloadService {
  constructor(
    private readonly batches: BatchRepository,
    private readonly storage: MediaStorage,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BatchDownloadService.name);
  }

  async zip(user: AuthUser, publicId: string): Promise<BatchZip> {
    const batch = await this.batches.findOwned(user.id, publicId);
    if (!batch) throw DomainError.notFound('Batch');
    const rows = await this.batches.downloadRows(batch.id);
    const files = rows.map((r) => (isStored(r) ? fileNameOf(r) : null));
    const entries = rows.flatMap((r, i) => {
      const name = files[i];
      if (!name) return [];
      return [{ name, size: r.sizeBytes as number, open: () => this.storage.get(r.objectKey as string) }];
    });
    const { size, stream } = streamZip(
      Buffer.from(this.manifest(rows, files), 'utf8'),
      entries,
      new Date(batch.createdAt * 1000),
      (err) => this.logger.error({ batch: publicId, err }, 'batch zip failed mid-stream'),
    );
    return { fileName: `${publicId}.zip`, size, stream };
  }

  private manifest(rows: DownloadRow[], files: Array<string | null>): string {
    const lines = [MANIFEST_COLUMNS.join(',')];
    rows.forEach((r, i) => {
      const charged = r.status === 'succeed' ? quotaToCredits(r.quota, this.config.quotaPerCredit) : 0;
      const error = r.itemError ?? r.failReason ?? (r.status === 'succeed' && !files[i] ? r.storeError : null);
      lines.push(
        [
          r.idx,
          r.prompt,
          r.model,
          r.resolution,
          r.duration,
          r.status,
          charged,
          r.taskId,
          files[i] ? r.sha256 : '',
          error,
          files[i],
        ]
          .map(csvField)
          .join(','),
      );
    });
    return lines.join('\r\n') + '\r\n';
  }
}

function isStored(r: DownloadRow): boolean {
  return r.status === 'succeed' && r.copyStatus === 'stored' && !!r.objectKey && r.sizeBytes !== null;
}

function fileNameOf(r: DownloadRow): string {
  const ext = (r.objectKey as string).split('.').pop() ?? 'mp4';
  return `${r.idx}-${slug(r.prompt)}.${ext}`;
}

// Lowercase ASCII words joined by '-', at most 48 characters; 'video' when nothing is left
// (a prompt in Chinese, say).
export function slug(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return s || 'video';
}

// RFC 4180 quoting, and a leading ' on text a spreadsheet would run as a formula.
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
