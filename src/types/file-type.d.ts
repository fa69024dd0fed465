// file-type ships ESM with its types behind package "exports", which this project's node10
// module resolution does not read; Node ≥ 20.19 require()s the package itself fine.
declare module 'file-type' {
  export interface FileTypeResult {
    ext: string;
    mime: string;
  }
  export function fileTypeFromBuffer(buffer: Uint8Array | ArrayBuffer): Promise<FileTypeResult | undefined>;
}
