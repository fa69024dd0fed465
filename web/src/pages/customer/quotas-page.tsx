import { useQuery } from '@tanstack/react-query';
import { Card, Progress, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';

export default function QuotasPage() {
  const { t } = useTranslation();
  const quotas = useQuery({ queryKey: ['quotas'], queryFn: () => unwrap(api.GET('/api/quotas/me')) });
  return (
    <>
      <PageHeader title={t('nav.quotas')}>{t('quotas.intro')}</PageHeader>
      <ErrorAlert error={quotas.error} />
      <Card size="small">
        <Table<Schemas['ProviderQuotaDto']>
          rowKey="provider"
          size="small"
          loading={quotas.isLoading}
          dataSource={quotas.data?.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('quotas.provider'), dataIndex: 'provider' },
            {
              title: t('quotas.quota'),
              dataIndex: 'quota',
              align: 'right',
              render: (v: number) => <Credits value={v} />,
            },
            {
              title: t('quotas.used'),
              dataIndex: 'used',
              align: 'right',
              render: (v: number) => <Credits value={v} />,
            },
            {
              title: t('quotas.remaining'),
              dataIndex: 'remaining',
              align: 'right',
              render: (v: number) => <Credits value={v} />,
            },
            {
              title: '%',
              dataIndex: 'percent',
              render: (v: number) => (
                <Progress percent={v} size="small" style={{ width: 120 }} status={v >= 80 ? 'exception' : 'normal'} />
              ),
            },
            {
              title: t('quotas.dedicatedKey'),
              dataIndex: 'dedicated_key',
              render: (v: boolean) => (v ? <Tag>{t('common.yes')}</Tag> : t('common.no')),
            },
          ]}
        />
      </Card>
    </>
  );
}
