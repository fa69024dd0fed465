import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, List, Popconfirm, Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { EventSourceMessage } from 'eventsource-parser';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { countOf, finishedCount } from '../../lib/batch-progress';
import { saveBlob } from '../../lib/save-file';
import { followSse } from '../../lib/sse';

interface LiveEvent {
  id: string;
  item: number | null;
  status: string;
  detail: string | null;
  at_ms: number;
}

// Live progress from the batch's event stream (SSE read with fetch, see lib/sse.ts); the detail
// is re-read as events arrive, at most every 300 ms.
function useBatchStream(id: string, finished: boolean) {
  const qc = useQueryClient();
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [live, setLive] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (finished) return;
    const ctrl = new AbortController();
    const refresh = () => {
      pending.current ??= setTimeout(() => {
        pending.current = null;
        void qc.invalidateQueries({ queryKey: ['batch', id] });
      }, 300);
    };
    const onEvent = (e: EventSourceMessage) => {
      setLive(true);
      const data = JSON.parse(e.data) as Omit<LiveEvent, 'id'>;
      setEvents((list) => [{ id: e.id ?? String(Date.now()), ...data }, ...list].slice(0, 50));
      refresh();
    };
    const isFinished = async () => {
      const b = await qc.fetchQuery({ queryKey: ['batch', id], queryFn: () => fetchBatch(id), staleTime: 0 });
      return b.finished_at !== null;
    };
    void followSse(`/api/v1/workflow/batches/${encodeURIComponent(id)}/events`, onEvent, isFinished, ctrl.signal)
      .catch(() => undefined)
      .finally(() => {
        setLive(false);
        void qc.invalidateQueries({ queryKey: ['batch', id] });
      });
    return () => ctrl.abort();
  }, [id, finished, qc]);
  return { events, live };
}

const fetchBatch = (id: string) =>
  unwrap(api.GET('/api/v1/workflow/batches/{batch_id}', { params: { path: { batch_id: id } } }));

function batchAction(id: string, verb: 'pause' | 'resume' | 'cancel'): Promise<Schemas['BatchDetailDto']> {
  const params = { params: { path: { batch_id: id } } };
  if (verb === 'pause') return unwrap(api.POST('/api/v1/workflow/batches/{batch_id}/pause', params));
  if (verb === 'resume') return unwrap(api.POST('/api/v1/workflow/batches/{batch_id}/resume', params));
  return unwrap(api.POST('/api/v1/workflow/batches/{batch_id}/cancel', params));
}

export default function BatchDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const batch = useQuery({ queryKey: ['batch', id], queryFn: () => fetchBatch(id) });
  const b = batch.data;
  const finished = b ? b.finished_at !== null : false;
  const { events, live } = useBatchStream(id, !b || finished);
  const action = useMutation({
    mutationFn: (verb: 'pause' | 'resume' | 'cancel') => batchAction(id, verb),
    onSuccess: (detail) => qc.setQueryData(['batch', id], detail),
  });
  const zip = useMutation({
    mutationFn: async () =>
      saveBlob(
        await unwrap<Blob>(
          api.GET('/api/v1/workflow/batches/{batch_id}/download', {
            params: { path: { batch_id: id } },
            parseAs: 'blob',
          }),
        ),
        `${id}.zip`,
      ),
  });
  return (
    <>
      <PageHeader
        title={`${t('nav.batch')} ${id}`}
        extra={
          b && (
            <Space wrap>
              {!finished && b.status === 'running' && (
                <Button onClick={() => action.mutate('pause')}>{t('batches.pause')}</Button>
              )}
              {!finished && b.status === 'paused' && (
                <Button onClick={() => action.mutate('resume')}>{t('batches.resume')}</Button>
              )}
              {!finished && (
                <Popconfirm title={t('batches.cancelConfirm')} onConfirm={() => action.mutate('cancel')}>
                  <Button danger>{t('batches.cancel')}</Button>
                </Popconfirm>
              )}
              <Tooltip title={finished ? undefined : t('batches.zipWhileRunning')}>
                <Button icon={<DownloadOutlined />} loading={zip.isPending} onClick={() => zip.mutate()}>
                  {t('batches.downloadZip')}
                </Button>
              </Tooltip>
            </Space>
          )
        }
      />
      <ErrorAlert error={batch.error ?? action.error ?? zip.error} />
      {b && <BatchSummaryCard b={b} live={live} />}
      <BatchItemsCard items={b?.items} loading={batch.isLoading} />
      <Card size="small" title={t('batches.events')}>
        <List
          size="small"
          dataSource={events}
          locale={{ emptyText: finished ? t('batches.noLiveEvents') : t('batches.waitingEvents') }}
          renderItem={(e) => (
            <List.Item>
              <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
                {new Date(e.at_ms).toLocaleTimeString()}
              </Typography.Text>
              {e.item === null ? t('batches.batchEvent') : t('batches.itemEvent', { idx: e.item })}{' '}
              <StatusTag status={e.status} />
              {e.detail && (
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  {e.detail}
                </Typography.Text>
              )}
            </List.Item>
          )}
        />
      </Card>
    </>
  );
}

type Batch = Schemas['BatchDetailDto'];

// Progress, status and counts of one batch (admins' batch page shows the same card).
export function BatchSummaryCard({ b, live }: { b: Batch; live: boolean }) {
  const { t } = useTranslation();
  const done = finishedCount(b.counts);
  const finished = b.finished_at !== null;
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Progress
        percent={Math.round((done / Math.max(1, b.total)) * 100)}
        success={{ percent: Math.round((countOf(b.counts, 'succeed') / Math.max(1, b.total)) * 100) }}
        status={b.status === 'completed' ? 'success' : finished ? 'normal' : 'active'}
        aria-label={t('batches.progress')}
      />
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('common.status')}>
          <span data-testid="batch-status">
            <StatusTag status={b.status} />
          </span>
          {live && <Tag>{t('batches.live')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('batches.progress')}>
          <span data-testid="batch-progress">
            {done} / {b.total}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('batches.heldUpFront')}>
          <Credits value={b.credits} />
        </Descriptions.Item>
        <Descriptions.Item label={t('batches.eta')}>
          {b.eta_seconds !== null ? `${b.eta_seconds} s` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('common.created')}>
          <Time value={b.created_at} />
        </Descriptions.Item>
        <Descriptions.Item label={t('batches.finished')}>
          <Time value={b.finished_at} />
        </Descriptions.Item>
        {Object.keys(b.counts).map((s) => (
          <Descriptions.Item key={s} label={t(`status.${s}`, { defaultValue: s })}>
            {countOf(b.counts, s)}
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  );
}

export function BatchItemsCard({ items, loading }: { items: Batch['items'] | undefined; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('batches.items')} style={{ marginBottom: 16 }}>
      <Table<Schemas['BatchItemDto']>
        rowKey="idx"
        size="small"
        loading={loading}
        dataSource={items}
        pagination={{ pageSize: 25, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: '#', dataIndex: 'idx' },
          { title: t('playground.model'), dataIndex: 'model' },
          { title: t('batches.resolution'), dataIndex: 'resolution' },
          { title: t('playground.duration'), dataIndex: 'duration', render: (v: number) => `${v} s` },
          { title: t('batches.lane'), dataIndex: 'lane', render: (v: string) => t(`batches.lane_${v}`) },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('batches.attempts'), dataIndex: 'attempts' },
          {
            title: t('common.creditsColumn'),
            dataIndex: 'credits',
            align: 'right',
            render: (v: number) => <Credits value={v} />,
          },
          {
            title: t('batches.video'),
            key: 'video',
            render: (_: unknown, item) => {
              const url = item.store_url ?? item.video_url;
              return url ? (
                <a href={url} target="_blank" rel="noreferrer">
                  {item.store_url ? t('batches.openStored') : t('batches.openProvider')}
                </a>
              ) : (
                ''
              );
            },
          },
          { title: t('batches.error'), dataIndex: 'error', render: (v: string | null) => v ?? '' },
        ]}
      />
    </Card>
  );
}
