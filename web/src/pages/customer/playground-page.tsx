import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Progress, Row, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { useCatalog } from '../../lib/catalog';
import { credentialHeader, videoRequest, type PlayValues } from '../../lib/playground';
import { useStoredVideo } from '../../lib/stored-video';
import { PlaygroundForm } from './playground-form';

type Video = Schemas['OpenAiVideoDto'];

interface Job {
  video: Video;
  headers: Record<string, string> | undefined;
  startedAt: number;
}

const TERMINAL = new Set<Video['status']>(['completed', 'failed']);

// POST /v1/videos (OpenAI's videos API: JSON, or multipart with the uploaded first frame). The
// Idempotency-Key makes a retried click the same video.
function createVideo(v: PlayValues): Promise<Video> {
  const req = videoRequest(v);
  const headers = { ...credentialHeader(v), 'idempotency-key': crypto.randomUUID() };
  const body = 'form' in req ? (req.form as unknown as Schemas['OpenAiCreateVideoDto']) : req.json;
  return unwrap(api.POST('/v1/videos', { body, headers }));
}

export default function PlaygroundPage() {
  const { t } = useTranslation();
  const catalog = useCatalog();
  const [job, setJob] = useState<Job | null>(null);
  const submit = useMutation({
    mutationFn: createVideo,
    onMutate: () => setJob(null),
    onSuccess: (video, v) => setJob({ video, headers: credentialHeader(v), startedAt: Date.now() }),
  });
  const models = catalog.data?.models;
  return (
    <>
      <PageHeader title={t('nav.playground')}>{t('playground.intro')}</PageHeader>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small">
            <ErrorAlert error={catalog.error} />
            {models && models.length === 0 && <Alert type="info" showIcon title={t('playground.noModels')} />}
            {models && models.length > 0 ? (
              <PlaygroundForm
                models={models}
                onSubmit={(v) => submit.mutate(v)}
                pending={submit.isPending}
                error={submit.error}
              />
            ) : (
              catalog.isLoading && <Skeleton active />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          {job ? (
            <VideoProgress key={job.video.id} job={job} />
          ) : (
            <Card size="small">{t('playground.nothingYet')}</Card>
          )}
        </Col>
      </Row>
    </>
  );
}

function VideoProgress({ job }: { job: Job }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  const result = useQuery({
    queryKey: ['openai-video', job.video.id],
    queryFn: () =>
      unwrap(api.GET('/v1/videos/{video_id}', { params: { path: { video_id: job.video.id } }, headers: job.headers })),
    initialData: job.video,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && TERMINAL.has(q.state.data.status) ? false : 2000),
  });
  const v = result.data;
  const done = TERMINAL.has(v.status);
  useEffect(() => {
    if (done) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [done]);
  const finishedMs = v.completed_at ? v.completed_at * 1000 : result.dataUpdatedAt;
  return (
    <Card size="small" title={t('playground.task')} data-testid="task">
      <ErrorAlert error={result.error} />
      <Progress
        percent={v.progress}
        status={v.status === 'failed' ? 'exception' : v.status === 'completed' ? 'success' : 'active'}
        aria-label={t('playground.progress')}
        style={{ marginBottom: 12 }}
      />
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('playground.taskId')}>
          <Typography.Text code copyable>
            {v.id}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('playground.model')}>
          {v.model} · {v.seconds} s · {v.size}
        </Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <span aria-live="polite" data-testid="task-status">
            <StatusTag status={v.status} />
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('playground.elapsed')}>
          {Math.max(0, Math.round(((done ? finishedMs : now) - job.startedAt) / 1000))} s
        </Descriptions.Item>
        {v.error && <Descriptions.Item label={t('playground.failReason')}>{v.error.message}</Descriptions.Item>}
      </Descriptions>
      {v.status === 'completed' && <StoredResult id={v.id} headers={job.headers} />}
    </Card>
  );
}

// The finished video from Reelay's own copy (not the provider's expiring link).
function StoredResult({ id, headers }: { id: string; headers: Record<string, string> | undefined }) {
  const { t } = useTranslation();
  const stored = useStoredVideo(id, headers, true);
  return (
    <div style={{ marginTop: 16 }}>
      {stored.waiting && (
        <Typography.Paragraph type="secondary" data-testid="store-waiting">
          {t('playground.fetchingCopy')}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={stored.error} />
      {stored.store && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('videos.notStored')}
          description={
            <>
              {stored.store.error && <div>{stored.store.error}</div>}
              <Link to="/videos">{t('playground.seeVideos')}</Link>
            </>
          }
        />
      )}
      {stored.url && (
        <>
          <video
            className="result-video"
            controls
            src={stored.url}
            data-testid="result-video"
            aria-label={t('playground.result')}
          />
          <Space wrap style={{ marginTop: 8 }}>
            <Button icon={<DownloadOutlined />} href={stored.url} download={stored.fileName ?? undefined}>
              {t('playground.download')}
            </Button>
            <Typography.Text type="secondary">{t('playground.storedNote')}</Typography.Text>
          </Space>
        </>
      )}
    </div>
  );
}
