import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { ChoiceFilter, IdFilter } from '../../components/filter-inputs';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { finishedCount } from '../../lib/batch-progress';
import { urlParam, useUrlFilters } from '../../lib/url-filters';

export const BATCH_STATUSES = ['running', 'paused', 'cancelled', 'completed'] as const;
function filtersOf(p: URLSearchParams) {
  return { user_id: urlParam.id(p, 'user_id'), status: urlParam.oneOf(p, 'status', BATCH_STATUSES) };
}

// Every user's batches (GET /api/admin/batches); a row opens the batch with its timeline. Filters
// and page live in the URL.
export default function AdminBatchesPage() {
  const { t } = useTranslation();
  const { f, set, paging, pagination } = useUrlFilters(filtersOf);
  const list = useQuery({
    queryKey: ['admin-batches', paging, f],
    queryFn: () => unwrap(api.GET('/api/admin/batches', { params: { query: { ...paging, ...f } } })),
    refetchInterval: (q) => (q.state.data?.items.some((b) => b.finished_at === null) ? 5000 : false),
  });
  return (
    <>
      <PageHeader title={t('nav.adminBatches')} />
      <Space wrap className="page-actions">
        <IdFilter label={t('videos.userId')} value={f.user_id} onChange={(user_id) => set({ user_id })} />
        <ChoiceFilter
          label={t('common.status')}
          value={f.status}
          choices={BATCH_STATUSES}
          choiceLabel={(s) => t(`status.${s}`)}
          onChange={(status) => set({ status })}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Card size="small">
        <Table<Schemas['AdminBatchDto']>
          rowKey="id"
          size="small"
          data-testid="admin-batches"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('batches.id'),
              dataIndex: 'id',
              render: (id: string) => (
                <Link to={`/admin/batches/${encodeURIComponent(id)}`}>
                  <code>{id}</code>
                </Link>
              ),
            },
            { title: t('videos.userId'), dataIndex: 'user_id' },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            {
              title: t('batches.progress'),
              key: 'progress',
              render: (_: unknown, b) => `${finishedCount(b.counts)} / ${b.total}`,
            },
            {
              title: t('batches.heldUpFront'),
              dataIndex: 'credits',
              align: 'right',
              render: (v: number) => <Credits value={v} />,
            },
            { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            {
              title: t('batches.finished'),
              dataIndex: 'finished_at',
              render: (v: number | null) => <Time value={v} />,
            },
          ]}
        />
      </Card>
    </>
  );
}
