import { Typography, type TableColumnsType } from 'antd';
import { StatusTag } from './status-tag';
import { Time } from './time';

// What a webhook delivery row shows of its progress, the same for a customer's own deliveries
// and the admin's view of everyone's.
interface DeliveryState {
  event_type: string;
  status: string;
  attempts: number;
  last_status?: number | null;
  last_error?: string | null;
  next_attempt_at?: number | null;
  delivered_at?: number | null;
}

export function deliveryStateColumns<T extends DeliveryState>(t: (k: string) => string): TableColumnsType<T> {
  return [
    { title: t('webhooks.eventType'), dataIndex: 'event_type', render: (v: string) => <code>{v}</code> },
    {
      title: t('common.status'),
      dataIndex: 'status',
      render: (s: string) => <StatusTag status={s} label={t(`delivery.${s}`)} />,
    },
    { title: t('webhooks.attempts'), dataIndex: 'attempts' },
    {
      title: t('webhooks.lastStatus'),
      key: 'last',
      render: (_: unknown, d) => (
        <>
          {d.last_status ?? '—'}
          {d.last_error && (
            <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
              {d.last_error}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('webhooks.nextAttempt'),
      dataIndex: 'next_attempt_at',
      render: (v: number | null) => <Time value={v} />,
    },
    { title: t('webhooks.deliveredAt'), dataIndex: 'delivered_at', render: (v: number | null) => <Time value={v} /> },
  ];
}
