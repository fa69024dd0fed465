import { useQuery } from '@tanstack/react-query';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { useCatalog } from '../../lib/catalog';
import { usePaging } from '../../lib/paging';
import { TimelineScope, VideoTimeline } from './video-timeline';

export const TASK_STATUSES = ['submitting', 'unknown', 'submitted', 'processing', 'succeed', 'failed'] as const;
type TaskStatus = (typeof TASK_STATUSES)[number];

// Where a video plays from: Reelay's stored copy once it is there, else the provider's link
// (which expires: Kling keeps files about 30 days, KIE less).
export function playableUrl(v: Pick<Schemas['VideoDto'], 'store_status' | 'store_url' | 'video_url'>): string | null {
  return v.store_status === 'stored' && v.store_url ? v.store_url : v.video_url || null;
}

export function StoreState({ v }: { v: Pick<Schemas['VideoDto'], 'store_status' | 'store_error'> }) {
  const { t } = useTranslation();
  if (!v.store_status) return <>—</>;
  return (
    <span data-testid="store-status">
      <StatusTag status={v.store_status} label={t(`store.${v.store_status}`)} />
      {v.store_error && (
        <Typography.Text type="danger" style={{ marginInlineStart: 8 }}>
          {v.store_error}
        </Typography.Text>
      )}
      {v.store_status === 'failed' && (
        <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
          {t('videos.providerLinkRemains')}
        </Typography.Text>
      )}
    </span>
  );
}

// One task opened from a list; `scope` picks the route its timeline is read from.
export function VideoDetail({ v, scope }: { v: Schemas['VideoDto']; scope: TimelineScope }) {
  const { t } = useTranslation();
  const src = playableUrl(v);
  const stored = v.store_status === 'stored' && v.store_url;
  return (
    <div style={{ maxWidth: 720 }}>
      {v.prompt && <Typography.Paragraph>{v.prompt}</Typography.Paragraph>}
      {v.fail_reason && <Typography.Paragraph type="danger">{v.fail_reason}</Typography.Paragraph>}
      {src && (
        <>
          <video
            className="result-video"
            controls
            preload="none"
            src={src}
            aria-label={t('playground.result')}
            data-testid="video-player"
          />
          <Space wrap style={{ marginBottom: 8 }}>
            <Typography.Text type="secondary">
              {stored ? t('videos.playingStored') : t('videos.playingProvider')}
            </Typography.Text>
            {stored && (
              <Button size="small" icon={<DownloadOutlined />} href={v.store_url ?? undefined} download>
                {t('playground.download')}
              </Button>
            )}
          </Space>
        </>
      )}
      <div style={{ marginBottom: 8 }}>
        {t('videos.storedCopy')}: <StoreState v={v} />
      </div>
      <div>
        {t('playground.taskId')}:{' '}
        <Typography.Text code copyable>
          {v.task_id}
        </Typography.Text>
        {v.upstream_task_id && (
          <>
            {' '}
            {t('videos.upstreamId')}: <Typography.Text code>{v.upstream_task_id}</Typography.Text>
          </>
        )}
      </div>
      <VideoTimeline v={v} scope={scope} />
    </div>
  );
}

export function videoColumns(t: (k: string) => string) {
  return [
    { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
    { title: t('playground.model'), dataIndex: 'model' },
    { title: t('videos.type'), dataIndex: 'type' },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
    {
      title: t('common.creditsColumn'),
      dataIndex: 'credits',
      align: 'right' as const,
      render: (v: number) => <Credits value={v} />,
    },
    {
      title: t('videos.storedCopy'),
      dataIndex: 'store_status',
      render: (s: string | null) => (s ? <StatusTag status={s} label={t(`store.${s}`)} /> : '—'),
    },
    { title: t('batches.finished'), dataIndex: 'finished_at', render: (v: number | null) => <Time value={v} /> },
  ];
}

export default function VideosPage() {
  const { t } = useTranslation();
  const { paging, pagination, reset } = usePaging();
  const [status, setStatus] = useState<TaskStatus | undefined>();
  const [model, setModel] = useState<string | undefined>();
  const catalog = useCatalog();
  const list = useQuery({
    queryKey: ['videos', paging, status, model],
    queryFn: () => unwrap(api.GET('/api/videos', { params: { query: { ...paging, status, model } } })),
  });
  return (
    <>
      <PageHeader title={t('nav.videos')} />
      <Space wrap className="page-actions">
        <Select
          allowClear
          placeholder={t('common.status')}
          aria-label={t('common.status')}
          style={{ width: 160 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            reset();
          }}
          options={TASK_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
        <Select
          allowClear
          showSearch
          placeholder={t('playground.model')}
          aria-label={t('playground.model')}
          style={{ width: 200 }}
          value={model}
          onChange={(v) => {
            setModel(v);
            reset();
          }}
          options={catalog.data?.models.map((m) => ({ value: m.id, label: m.id }))}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Card size="small">
        <Table<Schemas['VideoDto']>
          rowKey="task_id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          expandable={{ expandedRowRender: (v) => <VideoDetail v={v} scope="own" /> }}
          columns={videoColumns(t)}
        />
      </Card>
    </>
  );
}
