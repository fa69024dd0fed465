import rangeParser from 'range-parser';
import { ByteRange } from './media-storage';

export interface ReadConditions {
  range?: string;
  ifNoneMatch?: string;
  ifRange?: string;
}

export interface StoredFile {
  size: number;
  contentType: string;
  sha256: string;
  fileName: string;
}

export type MediaPlan =
  | { status: 200; range: null; headers: Record<string, string> }
  | { status: 206; range: ByteRange; headers: Record<string, string> }
  | { status: 304 | 416; range: null; headers: Record<string, string> };

// How to answer a read of a stored file (pure): 200 whole, 206 one range, 304 when the
// caller's ETag matches, 416 for a range outside the file. A malformed or multi-range header
// gets the whole file (RFC 9110 lets a server ignore Range).
export function planRead(file: StoredFile, c: ReadConditions): MediaPlan {
  const etag = `"${file.sha256}"`;
  const base: Record<string, string> = {
    etag,
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=3600',
  };
  if (c.ifNoneMatch && c.ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag))
    return { status: 304, range: null, headers: base };
  const whole = {
    ...base,
    'content-type': file.contentType,
    'content-length': String(file.size),
    'content-disposition': `inline; filename="${file.fileName}"`,
  };
  const rangeApplies = c.range && (!c.ifRange || c.ifRange.trim() === etag);
  if (!rangeApplies) return { status: 200, range: null, headers: whole };
  const parsed = rangeParser(file.size, c.range as string, { combine: true });
  if (parsed === -1) return { status: 416, range: null, headers: { ...base, 'content-range': `bytes */${file.size}` } };
  if (parsed === -2 || parsed.type !== 'bytes' || parsed.length !== 1)
    return { status: 200, range: null, headers: whole };
  const { start, end } = parsed[0];
  return {
    status: 206,
    range: { start, end },
    headers: {
      ...whole,
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${file.size}`,
    },
  };
}
