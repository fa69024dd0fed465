import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { Time } from '../../components/time';
import { diffJson, type Change } from '../../lib/diff';

const PLANS = ['free', 'pro', 'pro_plus', 'enterprise'] as const;
type Plans = Record<(typeof PLANS)[number], { concurrency: number; max_batch_rows: number }>;
type View = Schemas['BatchConfigViewDto'];

// Versioned save: the PUT carries the version this page read; a 409 means another admin saved
// first, and the page shows what they changed before anything is overwritten.
export default function BatchConfigPage() {
  const { t } = useTranslation();
  const view = useQuery({ queryKey: ['batch-config'], queryFn: () => unwrap(api.GET('/api/admin/batch/config')) });
  // The version being edited: the one first read, then whatever was saved or reloaded.
  const [loaded, setLoaded] = useState<View | null>(null);
  const base = loaded ?? view.data ?? null;
  return (
    <>
      <PageHeader title={t('nav.batchConfig')}>{t('batchConfig.intro')}</PageHeader>
      <ErrorAlert error={view.error} />
      {base && <ConfigEditor key={`${base.version}-${base.updated_at ?? 0}`} base={base} onLoad={setLoaded} />}
    </>
  );
}

function ConfigEditor({ base, onLoad }: { base: View; onLoad: (v: View) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [plans, setPlans] = useState<Plans>(() => base.effective.plans as Plans);
  const [advanced, setAdvanced] = useState(() => {
    const { plans: _p, ...rest } = base.overrides as Record<string, unknown>;
    return JSON.stringify(rest, null, 2);
  });
  const [advancedError, setAdvancedError] = useState(false);
  const [conflict, setConflict] = useState<{ changes: Change[]; theirs: View } | null>(null);

  const save = useMutation({
    mutationFn: (doc: Record<string, unknown>) => unwrap(api.PUT('/api/admin/batch/config', { body: doc })),
    onSuccess: (v) => {
      qc.setQueryData(['batch-config'], v);
      onLoad(v);
    },
    onError: async (err) => {
      if (!(err instanceof ApiError) || err.status !== 409) return;
      const theirs = await unwrap(api.GET('/api/admin/batch/config'));
      setConflict({ changes: diffJson(base.overrides, theirs.overrides), theirs });
    },
  });
  const submit = (restoreDefaults = false) => {
    let rest: Record<string, unknown> = {};
    try {
      rest = advanced.trim() ? (JSON.parse(advanced) as Record<string, unknown>) : {};
      setAdvancedError(false);
    } catch {
      setAdvancedError(true);
      return;
    }
    save.mutate(
      restoreDefaults ? { expected_version: base.version } : { ...rest, plans, expected_version: base.version },
    );
  };

  return (
    <>
      <ErrorAlert error={conflict ? null : save.error} />
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('batchConfig.conflict', { version: conflict.theirs.version })}
          description={
            <>
              <ul style={{ paddingInlineStart: 18 }} data-testid="conflict-changes">
                {conflict.changes.map((c) => (
                  <li key={c.path}>
                    <code>{c.path}</code>: {JSON.stringify(c.before) ?? '—'} → {JSON.stringify(c.after) ?? '—'}
                  </li>
                ))}
                {conflict.changes.length === 0 && <li>{t('batchConfig.noVisibleChange')}</li>}
              </ul>
              <Button onClick={() => onLoad(conflict.theirs)}>{t('batchConfig.reload')}</Button>
            </>
          }
        />
      )}
      <Card
        size="small"
        title={t('batchConfig.plans')}
        style={{ marginBottom: 16 }}
        extra={
          <Typography.Text type="secondary">
            {t('batchConfig.version', { version: base.version })} · <Time value={base.updated_at} />
          </Typography.Text>
        }
      >
        <Table
          rowKey="plan"
          size="small"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={PLANS.map((plan) => ({ plan, ...plans[plan] }))}
          columns={[
            { title: t('users.plan'), dataIndex: 'plan', render: (p: string) => t(`plan.${p}`) },
            {
              title: t('batchConfig.concurrency'),
              dataIndex: 'concurrency',
              render: (v: number, r) => (
                <InputNumber
                  min={1}
                  max={1000}
                  precision={0}
                  value={v}
                  aria-label={`${t('batchConfig.concurrency')} ${r.plan}`}
                  onChange={(n) => setPlans({ ...plans, [r.plan]: { ...plans[r.plan], concurrency: n ?? 1 } })}
                />
              ),
            },
            {
              title: t('batchConfig.maxRows'),
              dataIndex: 'max_batch_rows',
              render: (v: number, r) => (
                <InputNumber
                  min={1}
                  max={10000}
                  precision={0}
                  value={v}
                  aria-label={`${t('batchConfig.maxRows')} ${r.plan}`}
                  onChange={(n) => setPlans({ ...plans, [r.plan]: { ...plans[r.plan], max_batch_rows: n ?? 1 } })}
                />
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('batchConfig.advanced')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('batchConfig.advancedHelp')}</Typography.Paragraph>
        <Form.Item
          validateStatus={advancedError ? 'error' : undefined}
          help={advancedError ? t('prices.invalidJson') : undefined}
        >
          <Input.TextArea
            rows={8}
            value={advanced}
            onChange={(e) => setAdvanced(e.target.value)}
            style={{ fontFamily: 'monospace' }}
            spellCheck={false}
            aria-label={t('batchConfig.advanced')}
          />
        </Form.Item>
        <details>
          <summary>{t('batchConfig.effective')}</summary>
          <pre style={{ fontSize: 12, overflow: 'auto' }}>{JSON.stringify(base.effective, null, 2)}</pre>
        </details>
      </Card>
      <Space wrap>
        <Button type="primary" loading={save.isPending} onClick={() => submit()} disabled={conflict !== null}>
          {t('common.save')}
        </Button>
        <Popconfirm title={t('batchConfig.restoreConfirm')} onConfirm={() => submit(true)}>
          <Button disabled={conflict !== null}>{t('batchConfig.restore')}</Button>
        </Popconfirm>
      </Space>
    </>
  );
}
