import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { Time } from '../../components/time';
import { usePaging } from '../../lib/paging';

export default function AlertsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { paging, pagination } = usePaging();
  const list = useQuery({
    queryKey: ['alerts', paging],
    queryFn: () => unwrap(api.GET('/api/admin/alerts', { params: { query: paging } })),
  });
  const run = useMutation({
    mutationFn: () => unwrap(api.POST('/api/admin/alerts/run')),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['alerts'] }),
  });
  return (
    <>
      <PageHeader
        title={t('nav.alerts')}
        extra={
          <Button loading={run.isPending} onClick={() => run.mutate()}>
            {t('alerts.runNow')}
          </Button>
        }
      >
        {t('alerts.intro')}
      </PageHeader>
      <ErrorAlert error={list.error ?? run.error} />
      {run.data && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('alerts.ran', { raised: run.data.raised.length, delivered: run.data.delivered })}
        />
      )}
      <Card size="small">
        <Table<Schemas['AlertDto']>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('common.time'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            { title: t('alerts.kind'), dataIndex: 'kind', render: (v: string) => <Tag>{t(`alerts.kind_${v}`)}</Tag> },
            { title: t('alerts.subject'), dataIndex: 'subject' },
            { title: t('alerts.message'), dataIndex: 'message' },
            {
              title: t('alerts.delivered'),
              dataIndex: 'delivered_at',
              render: (v: number | null, a) => (v ? <Time value={v} /> : t('alerts.attempts', { count: a.attempts })),
            },
          ]}
        />
      </Card>
    </>
  );
}
