import { useQuery } from '@tanstack/react-query';
import { Button, Card, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { BalanceCards } from './balance-cards';

// Alipay sends the buyer back here (ALIPAY_RETURN_URL) with ?out_trade_no=…. The return itself proves
// nothing: the order turns paid when Reelay has verified Alipay's notify (or asked Alipay), so this
// page watches the order until it does.
export default function PayReturnPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const outTradeNo = params.get('out_trade_no') ?? sessionStorage.getItem('reelay.lastOrder');
  const order = useQuery({
    queryKey: ['order', outTradeNo],
    enabled: Boolean(outTradeNo),
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/payments/orders', { params: { query: { page: 1, page_size: 50 } } }));
      return page.items.find((o) => o.out_trade_no === outTradeNo) ?? null;
    },
    refetchInterval: (q) => (q.state.data?.status === 'pending' || q.state.data === undefined ? 2000 : false),
  });
  const paid = order.data?.status === 'paid';
  const balance = useQuery({
    queryKey: ['balance', paid],
    queryFn: () => unwrap(api.GET('/api/billing/balance')),
  });
  return (
    <>
      <PageHeader title={t('nav.payReturn')} />
      <ErrorAlert error={order.error} />
      <Card size="small" style={{ marginBottom: 16 }}>
        {!outTradeNo || order.data === null ? (
          <Result
            status="warning"
            title={t('billing.orderUnknown')}
            extra={
              <Link to="/billing">
                <Button>{t('nav.billing')}</Button>
              </Link>
            }
          />
        ) : !order.data ? (
          <Spin />
        ) : order.data.status === 'paid' ? (
          <Result
            status="success"
            title={t('billing.orderPaid')}
            subTitle={
              <span>
                <Credits value={order.data.credits} /> {t('common.credits')} · {order.data.out_trade_no}
              </span>
            }
          />
        ) : order.data.status === 'closed' ? (
          <Result status="error" title={t('billing.orderClosed')} subTitle={order.data.out_trade_no} />
        ) : (
          <Result icon={<Spin size="large" />} title={t('billing.orderPending')} subTitle={order.data.out_trade_no} />
        )}
      </Card>
      <BalanceCards balance={balance.data} />
    </>
  );
}
