import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { BatchItemsCard, BatchSummaryCard } from '../customer/batch-detail-page';

type Step = Schemas['BatchEventDto'];
const FIRST_STEPS = 50;
const COLOURS: Record<string, string> = { failed: 'red', cancelled: 'gray', succeed: 'green', completed: 'green' };

// One batch as an operator sees it: its owner, the owner's progress view, and the timeline of
// every status change of the batch and its items (re-read while the batch runs).
export default function AdminBatchPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const batch = useQuery({
    queryKey: ['admin-batch', id],
    queryFn: () => unwrap(api.GET('/api/admin/batches/{batch_id}', { params: { path: { batch_id: id } } })),
    refetchInterval: (q) => (q.state.data && q.state.data.finished_at === null ? 3000 : false),
  });
  const b = batch.data;
  return (
    <>
      <PageHeader title={`${t('nav.batch')} ${id}`} />
      <ErrorAlert error={batch.error} />
      {b && (
        <>
          <Descriptions size="small" style={{ marginBottom: 8 }}>
            <Descriptions.Item label={t('videos.userId')}>
              <span data-testid="batch-owner">{b.user_id}</span>
            </Descriptions.Item>
          </Descriptions>
          <BatchSummaryCard b={b} live={false} />
        </>
      )}
      <Card size="small" title={t('adminBatches.timeline')} style={{ marginBottom: 16 }}>
        {b && <StatusTimeline steps={b.timeline} />}
      </Card>
      <BatchItemsCard items={b?.items} loading={batch.isLoading} />
    </>
  );
}

function StatusTimeline({ steps }: { steps: Step[] }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const shown = all ? steps : steps.slice(0, FIRST_STEPS);
  return (
    <div data-testid="batch-timeline">
      <Timeline
        items={shown.map((e) => ({
          key: e.id,
          color: COLOURS[e.status] ?? 'blue',
          content: (
            <>
              <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
                {new Date(e.at_ms).toLocaleString()}
              </Typography.Text>
              {e.item_idx === null ? t('batches.batchEvent') : t('batches.itemEvent', { idx: e.item_idx })}{' '}
              <StatusTag status={e.status} />
              {e.detail && <Typography.Text type="secondary">{e.detail}</Typography.Text>}
            </>
          ),
        }))}
      />
      {!all && steps.length > FIRST_STEPS && (
        <Button size="small" onClick={() => setAll(true)}>
          {t('adminBatches.showAll', { count: steps.length })}
        </Button>
      )}
    </div>
  );
}
