import { useQuery } from '@tanstack/react-query';
import { Button, Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { Time } from '../../components/time';
import { usePaging } from '../../lib/paging';
import { BalanceCards } from './balance-cards';

export default function OverviewPage() {
  const { t } = useTranslation();
  const { paging, pagination } = usePaging();
  const balance = useQuery({ queryKey: ['balance'], queryFn: () => unwrap(api.GET('/api/billing/balance')) });
  const ledger = useQuery({
    queryKey: ['ledger', paging],
    queryFn: () => unwrap(api.GET('/api/billing/ledger', { params: { query: paging } })),
  });
  return (
    <>
      <PageHeader
        title={t('nav.overview')}
        extra={
          <>
            <Link to="/billing">
              <Button type="primary">{t('billing.buy')}</Button>
            </Link>
            <Link to="/playground">
              <Button>{t('nav.playground')}</Button>
            </Link>
          </>
        }
      />
      <ErrorAlert error={balance.error ?? ledger.error} />
      <BalanceCards balance={balance.data} />
      <Card title={t('billing.ledger')} size="small">
        <Table<Schemas['LedgerEntryDto']>
          rowKey="id"
          size="small"
          data-testid="ledger"
          loading={ledger.isLoading}
          dataSource={ledger.data?.items}
          pagination={pagination(ledger.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('common.time'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            { title: t('billing.kind'), dataIndex: 'kind', render: (v: string) => t(`ledger.${v}`) },
            {
              title: t('billing.amount'),
              dataIndex: 'amount',
              align: 'right',
              render: (v: number) => <Credits value={v} signed />,
            },
            {
              title: t('billing.heldDelta'),
              dataIndex: 'held_delta',
              align: 'right',
              render: (v: number) => <Credits value={v} signed />,
            },
            {
              title: t('billing.reference'),
              key: 'ref',
              render: (_: unknown, r) => (
                <Typography.Text code copyable={{ text: r.ref_id }}>
                  {r.ref_type}:{r.ref_id.length > 18 ? `${r.ref_id.slice(0, 18)}…` : r.ref_id}
                </Typography.Text>
              ),
            },
            { title: t('billing.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
          ]}
        />
      </Card>
    </>
  );
}
