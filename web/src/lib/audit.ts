import { diffJson, type Change } from './diff';
import { urlParam } from './url-filters';

export interface AuditFilters {
  actor_type?: 'user' | 'system' | 'anonymous';
  actor_id?: number;
  action?: string;
  target_type?: string;
  target_id?: string;
  from?: number;
  to?: number;
}

// Suggestions for the filters (any value may be typed): what Reelay records today.
export const AUDIT_ACTIONS = [
  'alerts.run',
  'auth.lockout',
  'auth.rate_limited',
  'batch_config.replace',
  'channel.auto_disable',
  'channel.auto_reenable',
  'channel.create',
  'channel.delete',
  'channel.test',
  'channel.update',
  'credits.adjust',
  'package.create',
  'package.update',
  'prices.replace',
  'quota.set_dedicated_key',
  'token.revoke',
  'user.admin_recovery',
  'user.create',
  'user.password_reset',
  'user.update',
  'webhook_delivery.redeliver',
];
export const AUDIT_TARGETS = [
  'user',
  'channel',
  'package',
  'price_table',
  'setting',
  'api_token',
  'alerts',
  'ip',
  'webhook_delivery',
];

const ACTORS = ['user', 'system', 'anonymous'] as const;

// The filters a URL carries (?action=credits.adjust&target_type=user&target_id=7); anything
// malformed is left out rather than sent. (The page is read by useUrlFilters.)
export function auditFilters(p: URLSearchParams): AuditFilters {
  return Object.fromEntries(
    Object.entries({
      actor_type: urlParam.oneOf(p, 'actor_type', ACTORS),
      actor_id: urlParam.id(p, 'actor_id'),
      action: urlParam.text(p, 'action'),
      target_type: urlParam.text(p, 'target_type'),
      target_id: urlParam.text(p, 'target_id'),
      from: urlParam.id(p, 'from'),
      to: urlParam.id(p, 'to'),
    }).filter(([, v]) => v !== undefined),
  );
}

// Each field an entry changed; a creation (no before) or a deletion (no after) lists every field.
export function auditChanges(before: unknown, after: unknown): Change[] {
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const b = before === null && isObj(after) ? {} : before;
  const a = after === null && isObj(before) ? {} : after;
  return diffJson(b, a);
}
