import { useQuery } from '@tanstack/react-query';
import { Card, Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { ChoiceFilter, DayRangeFilter, IdFilter, TextFilter } from '../../components/filter-inputs';
import { urlParam, useUrlFilters } from '../../lib/url-filters';
import { TASK_STATUSES, VideoDetail, videoColumns } from '../customer/videos-page';

function filtersOf(p: URLSearchParams) {
  return {
    user_id: urlParam.id(p, 'user_id'),
    channel_id: urlParam.id(p, 'channel_id'),
    status: urlParam.oneOf(p, 'status', TASK_STATUSES),
    model: urlParam.text(p, 'model'),
    created_from: urlParam.id(p, 'created_from'),
    created_to: urlParam.id(p, 'created_to'),
  };
}

// Every user's video tasks (GET /api/admin/videos); filters and page live in the URL.
export default function AdminVideosPage() {
  const { t } = useTranslation();
  const { f, set, paging, pagination } = useUrlFilters(filtersOf);
  const list = useQuery({
    queryKey: ['admin-videos', paging, f],
    queryFn: () => unwrap(api.GET('/api/admin/videos', { params: { query: { ...paging, ...f } } })),
  });
  return (
    <>
      <PageHeader title={t('nav.adminVideos')} />
      <Space wrap className="page-actions">
        <IdFilter label={t('videos.userId')} value={f.user_id} onChange={(user_id) => set({ user_id })} />
        <IdFilter label={t('videos.channelId')} value={f.channel_id} onChange={(channel_id) => set({ channel_id })} />
        <ChoiceFilter
          label={t('common.status')}
          value={f.status}
          choices={TASK_STATUSES}
          choiceLabel={(s) => t(`status.${s}`)}
          onChange={(status) => set({ status })}
        />
        <TextFilter label={t('playground.model')} value={f.model} onChange={(model) => set({ model })} />
        <DayRangeFilter
          label={t('audit.when')}
          from={f.created_from}
          to={f.created_to}
          onChange={(created_from, created_to) => set({ created_from, created_to })}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Card size="small">
        <Table<Schemas['AdminVideoDto']>
          rowKey="task_id"
          size="small"
          data-testid="admin-videos"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          expandable={{ expandedRowRender: (v) => <VideoDetail v={v} scope="admin" /> }}
          columns={[
            { title: t('videos.userId'), dataIndex: 'user_id' },
            { title: t('videos.channelId'), dataIndex: 'channel_id', render: (v: number | null) => v ?? '—' },
            ...videoColumns(t),
          ]}
        />
      </Card>
    </>
  );
}
