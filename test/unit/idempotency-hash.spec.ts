import { stableJson } from '../../src/common/idempotency/idempotency.interceptor';

// What an Idempotency-Key's request hash is made from: the body, keys sorted, an uploaded file
// (OpenAI's multipart create) by its bytes.
describe('the idempotent request body', () => {
  it('is the same whatever the key order, and differs with any value', () => {
    expect(stableJson({ b: [1, { d: 2, c: 3 }], a: 'x' })).toBe(stableJson({ a: 'x', b: [1, { c: 3, d: 2 }] }));
    expect(stableJson({ a: 'x' })).not.toBe(stableJson({ a: 'y' }));
  });

  it('stands an uploaded file by its SHA-256: one changed byte is another body, and 10 MB (the upload cap) hashes at once', () => {
    const file = Buffer.alloc(10 * 1024 * 1024, 7);
    const started = performance.now();
    const a = stableJson({ prompt: 'p', input_reference: file });
    // Walked as an object (one key per byte) this took ~40 s and blocked the event loop throughout.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(a.length).toBeLessThan(200);
    expect(stableJson({ input_reference: Buffer.from(file), prompt: 'p' })).toBe(a);
    const other = Buffer.from(file);
    other[file.length - 1] ^= 1;
    expect(stableJson({ prompt: 'p', input_reference: other })).not.toBe(a);
    expect(stableJson({ prompt: 'p', input_reference: file.toString('base64') })).not.toBe(a);
  });
});
