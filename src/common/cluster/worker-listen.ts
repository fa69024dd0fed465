import { AppConfig } from '../../config/app-config';

export type PortSharing = 'reuseport' | 'round-robin';

export interface Runtime {
  platform: NodeJS.Platform;
  nodeVersion: string; // process.versions.node
}

const HERE: Runtime = { platform: process.platform, nodeVersion: process.versions.node };

// How workers share the port. With Node's cluster round robin the primary accepts every
// connection and passes it to a worker over IPC: measured with a new connection per request, that
// hop cost the primary ~0.2 ms of CPU per request and the workers ~30 % more (docs/operations.md).
// With SO_REUSEPORT each worker binds its own socket and the kernel spreads new connections by
// their addresses. Node has the option from 22.12 (23.1 on that line), on Linux; elsewhere a
// listen with it fails (nodejs/node#61018), so those keep the round robin.
export function portSharing(runtime: Runtime = HERE): PortSharing {
  const [major, minor] = runtime.nodeVersion.split('.').map(Number);
  const supported = major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
  return runtime.platform === 'linux' && supported ? 'reuseport' : 'round-robin';
}

// What the app listens with: a worker of several sets SO_REUSEPORT where it is used; a single
// process never does (a second Reelay started on the same port by mistake must fail to bind).
export function listenOptions(
  config: Pick<AppConfig, 'port' | 'host' | 'workerId'>,
  runtime: Runtime = HERE,
): { port: number; host: string; reusePort?: true } {
  const base = { port: config.port, host: config.host };
  return config.workerId !== null && portSharing(runtime) === 'reuseport' ? { ...base, reusePort: true } : base;
}
