import { ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import type { paths } from '../../api/schema';
import { deliveryStateColumns } from '../../components/delivery-columns';
import { ErrorAlert } from '../../components/error-alert';
import { ChoiceFilter, IdFilter, TextFilter } from '../../components/filter-inputs';
import { PageHeader } from '../../components/page-header';
import { Time } from '../../components/time';
import { urlParam, useUrlFilters } from '../../lib/url-filters';

type Delivery = Schemas['AdminWebhookDeliveryDto'];
type Filters = NonNullable<paths['/api/admin/webhooks/deliveries']['get']['parameters']['query']>;

const STATUSES = ['pending', 'delivered', 'failed'] as const;
const EVENT_TYPES = ['video.completed', 'video.failed', 'batch.completed', 'kling.callback', 'webhook.test'] as const;
const PAGE_SIZE = 20;

function filtersOf(p: URLSearchParams): Filters {
  return {
    user_id: urlParam.id(p, 'user_id'),
    endpoint_id: urlParam.text(p, 'endpoint_id'),
    status: urlParam.oneOf(p, 'status', STATUSES),
    event_type: urlParam.oneOf(p, 'event_type', EVENT_TYPES),
  };
}

// Every user's webhook deliveries (GET /api/admin/webhooks/deliveries); an operator can send one
// again for the user (audited as webhook_delivery.redeliver).
export default function WebhookDeliveriesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const { f, set, clear, paging, pagination } = useUrlFilters(filtersOf, PAGE_SIZE);
  const list = useQuery({
    queryKey: ['admin-deliveries', paging, f],
    queryFn: () => unwrap(api.GET('/api/admin/webhooks/deliveries', { params: { query: { ...paging, ...f } } })),
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? 3000 : false),
  });
  const redeliver = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST('/api/admin/webhooks/deliveries/{delivery_id}/redeliver', { params: { path: { delivery_id: id } } }),
      ),
    onSuccess: () => {
      void message.success(t('adminWebhooks.requeued'));
      void qc.invalidateQueries({ queryKey: ['admin-deliveries'] });
    },
  });
  return (
    <>
      <PageHeader title={t('nav.webhookDeliveries')}>{t('adminWebhooks.intro')}</PageHeader>
      <Space wrap className="page-actions">
        <IdFilter label={t('videos.userId')} value={f.user_id} onChange={(user_id) => set({ user_id })} />
        <TextFilter
          label={t('adminWebhooks.endpoint')}
          value={f.endpoint_id}
          width={200}
          onChange={(endpoint_id) => set({ endpoint_id })}
        />
        <ChoiceFilter
          label={t('common.status')}
          value={f.status}
          choices={STATUSES}
          choiceLabel={(s) => t(`delivery.${s}`)}
          width={140}
          onChange={(status) => set({ status })}
        />
        <ChoiceFilter
          label={t('webhooks.eventType')}
          value={f.event_type}
          choices={EVENT_TYPES}
          choiceLabel={(v) => v}
          width={180}
          onChange={(event_type) => set({ event_type })}
        />
        <Button onClick={clear}>{t('audit.clear')}</Button>
        <Button icon={<ReloadOutlined />} aria-label={t('webhooks.reload')} onClick={() => void list.refetch()} />
      </Space>
      <ErrorAlert error={list.error ?? redeliver.error} />
      <Card size="small">
        <Table<Delivery>
          rowKey="id"
          size="small"
          data-testid="admin-deliveries"
          loading={list.isLoading}
          dataSource={list.data?.items}
          locale={{ emptyText: t('webhooks.noDeliveries') }}
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={columns(t, (d) => redeliver.mutate(d.id), redeliver.isPending ? redeliver.variables : undefined)}
        />
      </Card>
    </>
  );
}

function columns(
  t: (k: string) => string,
  onRedeliver: (d: Delivery) => void,
  sending: string | undefined,
): TableColumnsType<Delivery> {
  return [
    { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
    {
      title: t('videos.userId'),
      dataIndex: 'user_id',
      render: (v: number) => <Link to={`/admin/webhooks?user_id=${v}`}>{v}</Link>,
    },
    {
      title: t('adminWebhooks.target'),
      key: 'target',
      render: (_: unknown, d) => (
        <>
          <code>{d.endpoint_id}</code>
          {d.url && (
            <Typography.Text type="secondary" style={{ display: 'block', maxWidth: 280 }} ellipsis={{ tooltip: d.url }}>
              {d.url}
            </Typography.Text>
          )}
        </>
      ),
    },
    ...deliveryStateColumns<Delivery>(t),
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, d) => (
        <Button size="small" onClick={() => onRedeliver(d)} loading={sending === d.id}>
          {t('webhooks.redeliver')}
        </Button>
      ),
    },
  ];
}
