import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  name: string;
  size: number;
  // Opened only when the entry's turn comes, so one object is open at a time.
  open(): Promise<Readable>;
}

// A ZIP of manifest.csv and `entries`, streamed. Nothing is compressed (videos would not
// shrink), so with every size known the total is known before the first byte.
export function streamZip(
  manifest: Buffer,
  entries: ZipEntry[],
  mtime: Date,
  onError: (err: unknown) => void,
): { size: number | null; stream: Readable } {
  const zip = new ZipFile();
  zip.addBuffer(manifest, 'manifest.csv', { mtime, compress: false });
  for (const e of entries) {
    zip.addReadStreamLazy(e.name, { mtime, compress: false, size: e.size }, (cb) => {
      e.open().then(
        (s) => cb(null, s),
        (err: unknown) => cb(err, Readable.from([])),
      );
    });
  }
  const stream = zip.outputStream as Readable;
  zip.on('error', (err: unknown) => {
    onError(err);
    stream.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  let size: number | null = null;
  // Always the ZIP64 end record: yazl's size prediction counts it once the central directory
  // passes 64 KiB (about 700 entries) but writes it only past 4 GiB, so without it the
  // announced Content-Length would be 76 bytes too long.
  zip.end({ forceZip64Format: true, comment: '' }, (total?: number) => {
    size = total !== undefined && total >= 0 ? total : null;
  });
  return { size, stream };
}
