import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { Credits } from '../../components/credits';

// Balance, held by running tasks, available, used: each exactly as the API gave it.
export function BalanceCards({ balance }: { balance: Schemas['BalanceDto'] | undefined }) {
  const { t } = useTranslation();
  const cell = (key: keyof Schemas['BalanceDto'], label: string) => (
    <Col xs={12} md={6} key={key}>
      <Card size="small">
        <Statistic
          title={label}
          loading={!balance}
          value={balance?.[key] ?? 0}
          formatter={() => (balance ? <Credits value={balance[key]} /> : null)}
          styles={{ content: { fontSize: 22 } }}
        />
      </Card>
    </Col>
  );
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="balance">
      {cell('available', t('billing.available'))}
      {cell('balance', t('billing.balance'))}
      {cell('held', t('billing.held'))}
      {cell('used', t('billing.used'))}
    </Row>
  );
}
