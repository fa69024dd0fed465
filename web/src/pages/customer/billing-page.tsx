import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { formatYuanFromFen } from '../../lib/money';
import { usePaging } from '../../lib/paging';

// Where the browser goes after paying: the page that watches the order become paid. Alipay sends
// the buyer to ALIPAY_RETURN_URL (set it to https://<your host>/billing/return).
export function goToPayment(payUrl: string): void {
  window.location.assign(payUrl);
}

export default function BillingPage() {
  const { t } = useTranslation();
  const packages = useQuery({ queryKey: ['packages'], queryFn: () => unwrap(api.GET('/api/packages')) });
  const buy = useMutation({
    mutationFn: (packageId: number) => unwrap(api.POST('/api/payments/orders', { body: { package_id: packageId } })),
    onSuccess: (res) => {
      sessionStorage.setItem('reelay.lastOrder', res.order.out_trade_no);
      goToPayment(res.pay_url);
    },
  });
  return (
    <>
      <PageHeader title={t('nav.billing')}>{t('billing.intro')}</PageHeader>
      <ErrorAlert error={packages.error ?? buy.error} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {packages.data?.items.map((p) => (
          <Col xs={24} sm={12} lg={8} key={p.id}>
            <Card
              size="small"
              title={p.name}
              extra={p.grants_plan && <Tag>{t(`plan.${p.grants_plan}`)}</Tag>}
              actions={[
                <Button
                  key="buy"
                  type="primary"
                  loading={buy.isPending && buy.variables === p.id}
                  onClick={() => buy.mutate(p.id)}
                >
                  {t('billing.payWithAlipay')}
                </Button>,
              ]}
            >
              <Typography.Title level={3} style={{ margin: 0 }}>
                ¥{p.price_yuan}
              </Typography.Title>
              <Typography.Text>
                <Credits value={p.credits} /> {t('common.credits')}
              </Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      <Orders />
    </>
  );
}

function Orders() {
  const { t } = useTranslation();
  const { paging, pagination } = usePaging(10);
  const orders = useQuery({
    queryKey: ['orders', paging],
    queryFn: () => unwrap(api.GET('/api/payments/orders', { params: { query: paging } })),
  });
  return (
    <Card size="small" title={t('billing.orders')}>
      <ErrorAlert error={orders.error} />
      <Table<Schemas['OrderDto']>
        rowKey="id"
        size="small"
        loading={orders.isLoading}
        dataSource={orders.data?.items}
        pagination={pagination(orders.data?.total)}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('billing.orderNo'), dataIndex: 'out_trade_no', render: (v: string) => <code>{v}</code> },
          { title: t('billing.price'), dataIndex: 'amount_fen', render: (v: number) => `¥${formatYuanFromFen(v)}` },
          {
            title: t('common.creditsColumn'),
            dataIndex: 'credits',
            align: 'right',
            render: (v: number) => <Credits value={v} />,
          },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
          { title: t('billing.paidAt'), dataIndex: 'paid_at', render: (v: number | null) => <Time value={v} /> },
        ]}
      />
    </Card>
  );
}
