import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { streamZip } from '../../src/batch/batch-zip';
import { simMediaBytes } from '../../tools/simulators/sim-media';

async function collect(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

// What Python's zipfile (a real ZIP reader) finds in the archive: name → SHA-256.
function listWithPython(file: string): Record<string, string> {
  const script =
    'import hashlib,json,sys,zipfile\n' +
    'z = zipfile.ZipFile(sys.argv[1])\n' +
    'print(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, file]).toString()) as Record<string, string>;
}

describe('streamZip', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'reelay-zip-unit-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([3, 1000])(
    'announces exactly the size it streams and a ZIP reader reads every entry back (%i entries)',
    async (n) => {
      const files = Array.from({ length: n }, (_, i) => ({
        name: `${i}-clip.mp4`,
        data: simMediaBytes(`z${i}`, 2_000),
      }));
      let opened = 0;
      let open = 0;
      let maxOpen = 0;
      const { size, stream } = streamZip(
        Buffer.from('idx,file\n'),
        files.map((f) => ({
          name: f.name,
          size: f.data.length,
          open: () => {
            opened++;
            maxOpen = Math.max(maxOpen, ++open);
            const s = Readable.from([f.data]);
            s.on('end', () => open--);
            return Promise.resolve(s);
          },
        })),
        new Date(1_700_000_000_000),
        (err) => {
          throw err;
        },
      );
      const zip = await collect(stream);
      expect(size).toBe(zip.length);
      expect(opened).toBe(n);
      expect(maxOpen).toBe(1); // one object open at a time
      const file = join(dir, `${n}.zip`);
      writeFileSync(file, zip);
      const listed = listWithPython(file);
      expect(Object.keys(listed)).toHaveLength(n + 1);
      for (const f of files) expect(listed[f.name]).toBe(createHash('sha256').update(f.data).digest('hex'));
    },
  );

  it('fails the stream when an object cannot be opened (the client sees a cut download, not a bad file)', async () => {
    const errors: unknown[] = [];
    const { stream } = streamZip(
      Buffer.from('m'),
      [{ name: 'a.mp4', size: 5, open: () => Promise.reject(new Error('object missing')) }],
      new Date(),
      (err) => errors.push(err),
    );
    await expect(collect(stream)).rejects.toThrow('object missing');
    expect(errors).toHaveLength(1);
  });
});
