import { useQuery } from '@tanstack/react-query';
import { Button, Card, Result, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { formatTime } from '../../components/time';

export default function ReconciliationPage() {
  const { t } = useTranslation();
  const report = useQuery({
    queryKey: ['reconciliation'],
    queryFn: () => unwrap(api.GET('/api/admin/billing/reconciliation')),
  });
  const r = report.data;
  return (
    <>
      <PageHeader
        title={t('nav.reconciliation')}
        extra={
          <Button loading={report.isFetching} onClick={() => void report.refetch()}>
            {t('reconciliation.runAgain')}
          </Button>
        }
      >
        {t('reconciliation.intro')}
      </PageHeader>
      <ErrorAlert error={report.error} />
      {r && (
        <Card size="small">
          <Result
            status={r.ok ? 'success' : 'error'}
            title={
              r.ok
                ? t('reconciliation.ok', { count: r.checked_accounts })
                : t('reconciliation.mismatches', { count: r.mismatches.length })
            }
            subTitle={formatTime(r.generated_at)}
          />
          {!r.ok && (
            <Table<Schemas['ReconciliationMismatchDto']>
              rowKey={(m) => `${m.user_id}-${m.check}`}
              size="small"
              dataSource={r.mismatches}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('videos.userId'), dataIndex: 'user_id' },
                { title: t('reconciliation.check'), dataIndex: 'check' },
                { title: t('reconciliation.expected'), dataIndex: 'expected', render: (v: unknown) => String(v) },
                { title: t('reconciliation.actual'), dataIndex: 'actual', render: (v: unknown) => String(v) },
              ]}
            />
          )}
        </Card>
      )}
    </>
  );
}
