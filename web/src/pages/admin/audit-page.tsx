import { useQuery } from '@tanstack/react-query';
import { AutoComplete, Button, Card, Select, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { DayRangeFilter, IdFilter, TextFilter } from '../../components/filter-inputs';
import { PageHeader } from '../../components/page-header';
import { Time } from '../../components/time';
import { useUrlFilters } from '../../lib/url-filters';
import { auditFilters, AUDIT_ACTIONS, AUDIT_TARGETS, auditChanges, type AuditFilters } from '../../lib/audit';

type Entry = Schemas['AuditEntryDto'];

// The audit trail (GET /api/admin/audit), newest first. Filters and the page live in the URL, so a
// filtered view is a link (e.g. /admin/audit?target_type=user&target_id=7).
export default function AuditPage() {
  const { t } = useTranslation();
  const { f, set, clear, paging, pagination } = useUrlFilters(auditFilters);
  const list = useQuery({
    queryKey: ['audit', paging, f],
    queryFn: () => unwrap(api.GET('/api/admin/audit', { params: { query: { ...paging, ...f } } })),
  });
  return (
    <>
      <PageHeader title={t('nav.audit')}>{t('audit.intro')}</PageHeader>
      <Space wrap className="page-actions">
        <AutoComplete
          allowClear
          style={{ width: 200 }}
          placeholder={t('audit.action')}
          aria-label={t('audit.action')}
          value={f.action}
          options={AUDIT_ACTIONS.map((value) => ({ value }))}
          onChange={(v: string | undefined) => set({ action: v?.trim() || undefined })}
        />
        <Select
          allowClear
          style={{ width: 150 }}
          placeholder={t('audit.actorType')}
          aria-label={t('audit.actorType')}
          value={f.actor_type}
          options={(['user', 'system', 'anonymous'] as const).map((v) => ({ value: v, label: t(`audit.actor_${v}`) }))}
          onChange={(v: AuditFilters['actor_type']) => set({ actor_type: v })}
        />
        <IdFilter label={t('audit.actorId')} value={f.actor_id} onChange={(actor_id) => set({ actor_id })} />
        <AutoComplete
          allowClear
          style={{ width: 150 }}
          placeholder={t('audit.targetType')}
          aria-label={t('audit.targetType')}
          value={f.target_type}
          options={AUDIT_TARGETS.map((value) => ({ value }))}
          onChange={(v: string | undefined) => set({ target_type: v?.trim() || undefined })}
        />
        <TextFilter
          label={t('audit.targetId')}
          value={f.target_id}
          width={130}
          onChange={(target_id) => set({ target_id })}
        />
        <DayRangeFilter label={t('audit.when')} from={f.from} to={f.to} onChange={(from, to) => set({ from, to })} />
        <Button onClick={clear}>{t('audit.clear')}</Button>
      </Space>
      <ErrorAlert error={list.error} />
      <Card size="small">
        <Table<Entry>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          data-testid="audit-table"
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          expandable={{ expandedRowRender: (e) => <Changes entry={e} /> }}
          columns={[
            { title: t('common.time'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            {
              title: t('audit.actor'),
              key: 'actor',
              render: (_: unknown, e) => (
                <>
                  {e.actor_label ?? '—'}{' '}
                  <Typography.Text type="secondary">
                    {t(`audit.actor_${e.actor_type}`)}
                    {e.actor_id !== null ? ` #${e.actor_id}` : ''}
                  </Typography.Text>
                </>
              ),
            },
            { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <code>{v}</code> },
            {
              title: t('audit.target'),
              key: 'target',
              render: (_: unknown, e) => (
                <code>
                  {e.target_type}
                  {e.target_id !== null ? ` #${e.target_id}` : ''}
                </code>
              ),
            },
            { title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
            {
              title: t('common.requestId'),
              dataIndex: 'request_id',
              render: (v: string | null) => (v ? <Typography.Text copyable>{v}</Typography.Text> : '—'),
            },
          ]}
        />
      </Card>
    </>
  );
}

// What the action changed: each differing field, before and after (secrets arrive masked).
function Changes({ entry }: { entry: Entry }) {
  const { t } = useTranslation();
  const changes = auditChanges(entry.before, entry.after);
  return (
    <Table
      size="small"
      rowKey="path"
      pagination={false}
      dataSource={changes}
      locale={{ emptyText: t('audit.noChanges') }}
      columns={[
        { title: t('audit.field'), dataIndex: 'path', render: (v: string) => <code>{v}</code> },
        { title: t('audit.before'), dataIndex: 'before', render: (v: unknown) => <Value v={v} /> },
        { title: t('audit.after'), dataIndex: 'after', render: (v: unknown) => <Value v={v} /> },
      ]}
    />
  );
}

function Value({ v }: { v: unknown }) {
  if (v === undefined) return <>—</>;
  return <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(v)}</code>;
}
