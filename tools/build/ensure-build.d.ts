// Types for ensure-build.js (plain JavaScript: it runs before anything is compiled).
export function sourceHash(root?: string): string;
export function isCurrent(root?: string, hash?: string): boolean;
export function writeStamp(root: string, hash: string): void;
