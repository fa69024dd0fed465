import { Badge, type BadgeProps } from 'antd';
import { useTranslation } from 'react-i18next';

const TONE: Record<string, BadgeProps['status']> = {
  active: 'success',
  enabled: 'success',
  succeed: 'success',
  paid: 'success',
  completed: 'success',
  auto_disabled: 'error',
  failed: 'error',
  running: 'processing',
  processing: 'processing',
  dispatching: 'processing',
  submitted: 'processing',
  submitting: 'processing',
  queued: 'default',
  pending: 'warning',
  paused: 'warning',
  retry_wait: 'warning',
  unknown: 'warning',
  in_progress: 'processing',
  stored: 'success',
  delivered: 'success',
  expired: 'default',
};

// A status word from the API, translated where the dictionaries know it. A coloured dot beside
// text in the body colour: coloured text on tinted tags falls short of WCAG AA contrast.
// `label` replaces the generic word where a status means something narrower (a delivery's "pending").
export function StatusTag({ status, label }: { status: string; label?: string }) {
  const { t } = useTranslation();
  return <Badge status={TONE[status] ?? 'default'} text={label ?? t(`status.${status}`, { defaultValue: status })} />;
}
