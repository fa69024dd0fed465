import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { ChoiceFilter, DayRangeFilter, IdFilter } from '../../components/filter-inputs';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { formatYuanFromFen } from '../../lib/money';
import { urlParam, useUrlFilters } from '../../lib/url-filters';

const ORDER_STATUSES = ['pending', 'paid', 'closed'] as const;

function filtersOf(p: URLSearchParams) {
  return {
    user_id: urlParam.id(p, 'user_id'),
    status: urlParam.oneOf(p, 'status', ORDER_STATUSES),
    created_from: urlParam.id(p, 'created_from'),
    created_to: urlParam.id(p, 'created_to'),
  };
}

// Every Alipay order (GET /api/admin/payments/orders); filters and page live in the URL.
export default function OrdersPage() {
  const { t } = useTranslation();
  const { f, set, paging, pagination } = useUrlFilters(filtersOf);
  const list = useQuery({
    queryKey: ['admin-orders', paging, f],
    queryFn: () => unwrap(api.GET('/api/admin/payments/orders', { params: { query: { ...paging, ...f } } })),
  });
  return (
    <>
      <PageHeader title={t('nav.orders')} />
      <Space wrap className="page-actions">
        <IdFilter label={t('videos.userId')} value={f.user_id} onChange={(user_id) => set({ user_id })} />
        <ChoiceFilter
          label={t('common.status')}
          value={f.status}
          choices={ORDER_STATUSES}
          choiceLabel={(s) => t(`status.${s}`)}
          width={140}
          onChange={(status) => set({ status })}
        />
        <DayRangeFilter
          label={t('audit.when')}
          from={f.created_from}
          to={f.created_to}
          onChange={(created_from, created_to) => set({ created_from, created_to })}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Card size="small">
        <Table<Schemas['AdminOrderDto']>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('billing.orderNo'), dataIndex: 'out_trade_no', render: (v: string) => <code>{v}</code> },
            { title: t('videos.userId'), dataIndex: 'user_id' },
            { title: t('billing.price'), dataIndex: 'amount_fen', render: (v: number) => `¥${formatYuanFromFen(v)}` },
            {
              title: t('common.creditsColumn'),
              dataIndex: 'credits',
              align: 'right',
              render: (v: number) => <Credits value={v} />,
            },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            { title: t('billing.tradeNo'), dataIndex: 'trade_no', render: (v: string | null) => v ?? '—' },
            { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            { title: t('billing.paidAt'), dataIndex: 'paid_at', render: (v: number | null) => <Time value={v} /> },
          ]}
        />
      </Card>
    </>
  );
}
