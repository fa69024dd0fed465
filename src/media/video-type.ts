import { fileTypeFromBuffer } from 'file-type';

// The container formats Reelay stores (file-type detects them from the magic bytes: an MP4 or
// QuickTime `ftyp` box, WebM's EBML header with the "webm" doctype).
const VIDEO_TYPES: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/x-m4v': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
};

// How many leading bytes the detection may need.
export const SNIFF_BYTES = 4100;

export interface VideoType {
  mime: string;
  ext: string;
}

// The video type of a file's first bytes, or null when they are not one of VIDEO_TYPES.
export async function detectVideoType(head: Uint8Array): Promise<VideoType | null> {
  const t = await fileTypeFromBuffer(head);
  if (!t || !(t.mime in VIDEO_TYPES)) return null;
  return { mime: t.mime, ext: VIDEO_TYPES[t.mime] };
}
