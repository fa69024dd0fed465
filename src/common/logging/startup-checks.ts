import { AppConfig } from '../../config/app-config';
import { addressProblem } from '../outbound/outbound-policy';

// Settings that start fine but are almost certainly wrong for the environment: one warning line
// each at start.
export function startupWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  if (config.nodeEnv === 'production' && !isPublicAddress(config.serverAddress)) {
    warnings.push(
      `SERVER_ADDRESS is ${config.serverAddress}: upstream providers cannot call back a local address; set it to the public URL`,
    );
  }
  if (config.workers > 1 && config.redisUrl === null) {
    warnings.push(
      `WORKERS=${config.workers} without REDIS_URL: each worker counts the rate limits on its own, so a client may get up to ${config.workers} times each limit; set REDIS_URL to share the counters`,
    );
  }
  return warnings;
}

function isPublicAddress(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return false;
  return /^[\d.]+$/.test(host) || host.includes(':') ? addressProblem(host) === null : true;
}
