import { useQuery } from '@tanstack/react-query';
import { Spin, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { Time } from '../../components/time';

type Entry = Schemas['TimelineEntryDto'];
// Whose route reads the timeline: the owner's (their own tasks) or the operator's (any task).
export type TimelineScope = 'own' | 'admin';

const COLOURS: Partial<Record<Entry['kind'], string>> = {
  succeeded: 'green',
  stored: 'green',
  failed: 'red',
  store_failed: 'red',
  processing: 'blue',
};

function fetchTimeline(scope: TimelineScope, taskId: string) {
  const params = { params: { path: { task_id: taskId } } };
  return scope === 'admin'
    ? unwrap(api.GET('/api/admin/videos/{task_id}/timeline', params))
    : unwrap(api.GET('/api/videos/{task_id}/timeline', params));
}

// A task's steps, read when its detail opens. The key carries what the list shows of the task,
// so a list refresh that moved it reads the timeline again.
export function VideoTimeline({ v, scope }: { v: Schemas['VideoDto']; scope: TimelineScope }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['video-timeline', scope, v.task_id, v.status, v.store_status],
    queryFn: () => fetchTimeline(scope, v.task_id),
  });
  return (
    <section aria-label={t('timeline.title')} data-testid="video-timeline" style={{ marginTop: 12 }}>
      <Typography.Text strong>{t('timeline.title')}</Typography.Text>
      <ErrorAlert error={q.error} />
      {q.isLoading && <Spin size="small" style={{ display: 'block', margin: 8 }} />}
      {q.data && (
        <Timeline
          style={{ marginTop: 12 }}
          items={q.data.entries.map((e, i) => ({
            key: `${e.kind}-${i}`,
            color: COLOURS[e.kind] ?? 'gray',
            content: <TimelineStep e={e} />,
          }))}
        />
      )}
    </section>
  );
}

function TimelineStep({ e }: { e: Entry }) {
  const { t } = useTranslation();
  const details: ReactNode[] = [];
  if (e.channel_id !== undefined && e.channel_id !== null) details.push(`${t('videos.channelId')} ${e.channel_id}`);
  if (e.upstream_task_id) details.push(`${t('videos.upstreamId')} ${e.upstream_task_id}`);
  if (e.credits !== undefined) details.push(<Credits key="credits" value={e.credits} />);
  if (e.ended_by) details.push(t(`timeline.endedBy.${e.ended_by}`));
  return (
    <span data-testid={`timeline-${e.kind}`}>
      <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
        <Time value={e.at} />
      </Typography.Text>
      {t(`timeline.kind.${e.kind}`)}
      {details.map((d, i) => (
        <Typography.Text key={i} type="secondary" style={{ marginInlineStart: 8 }}>
          {d}
        </Typography.Text>
      ))}
      {(e.fail_reason || e.store_error) && (
        <Typography.Text type="danger" style={{ display: 'block' }}>
          {e.fail_reason ?? e.store_error}
        </Typography.Text>
      )}
    </span>
  );
}
