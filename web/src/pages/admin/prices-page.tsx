import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { Time } from '../../components/time';
import { parsePriceRule } from '../../lib/price-rule';

type PriceView = Schemas['PriceViewDto'];
type Price = Schemas['PriceDto'];

const toDto = ({ updated_at: _u, ...rest }: PriceView): Price => rest;

export default function PricesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<{ model: string; json: string; isNew: boolean } | null>(null);
  const [jsonError, setJsonError] = useState<string | null>(null);
  const prices = useQuery({
    queryKey: ['prices'],
    queryFn: () => unwrap(api.GET('/api/admin/prices', { params: { query: { page: 1, page_size: 100 } } })),
  });
  const items = prices.data?.items ?? [];
  const replace = useMutation({
    mutationFn: (next: Price[]) => unwrap(api.PUT('/api/admin/prices', { body: { items: next } })),
    onSuccess: () => {
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['prices'] });
      void qc.invalidateQueries({ queryKey: ['quote'] });
    },
  });
  const saveRow = () => {
    if (!editing) return;
    const parsed = parsePriceRule(editing.json, editing.model.trim());
    if ('error' in parsed) return setJsonError(t(`prices.${parsed.error}`));
    setJsonError(null);
    const others = items.filter((p) => p.model !== parsed.rule.model).map(toDto);
    replace.mutate([...others, parsed.rule]);
  };
  return (
    <>
      <PageHeader
        title={t('nav.prices')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() =>
              setEditing({
                model: '',
                isNew: true,
                json: JSON.stringify({ scheme: 'fixed', entries: [{ credits: 10 }] }, null, 2),
              })
            }
          >
            {t('prices.add')}
          </Button>
        }
      >
        {t('prices.intro')}
      </PageHeader>
      <ErrorAlert error={prices.error ?? (editing ? null : replace.error)} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card size="small">
            <Table<PriceView>
              rowKey="model"
              size="small"
              loading={prices.isLoading}
              dataSource={items}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('playground.model'), dataIndex: 'model', render: (v: string) => <code>{v}</code> },
                {
                  title: t('prices.scheme'),
                  dataIndex: 'scheme',
                  render: (v: string) => <Tag>{t(`prices.scheme_${v}`)}</Tag>,
                },
                {
                  title: t('prices.rule'),
                  key: 'rule',
                  render: (_: unknown, p) =>
                    p.scheme === 'kling_formula' ? (
                      <span>
                        <Credits value={p.base_credits ?? 0} /> / {p.per_seconds ?? 5} s
                      </span>
                    ) : (
                      <Space size={[4, 4]} wrap>
                        {(p.entries ?? []).map((e, i) => (
                          <Tag key={i}>
                            {[e.resolution, e.duration ? `${e.duration} s` : null].filter(Boolean).join(' ') ||
                              t('prices.any')}
                            : <Credits value={e.credits} />
                          </Tag>
                        ))}
                      </Space>
                    ),
                },
                { title: t('common.updated'), dataIndex: 'updated_at', render: (v: number) => <Time value={v} /> },
                {
                  title: t('common.actions'),
                  key: 'a',
                  render: (_: unknown, p) => (
                    <Space>
                      <Button
                        size="small"
                        onClick={() =>
                          setEditing({
                            model: p.model,
                            isNew: false,
                            json: JSON.stringify((({ model: _m, ...r }) => r)(toDto(p)), null, 2),
                          })
                        }
                      >
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={t('prices.removeConfirm')}
                        onConfirm={() => replace.mutate(items.filter((x) => x.model !== p.model).map(toDto))}
                      >
                        <Button size="small" danger>
                          {t('common.delete')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <QuotePreview models={items.map((p) => p.model)} />
        </Col>
      </Row>
      <Drawer
        title={editing?.isNew ? t('prices.add') : `${t('common.edit')} ${editing?.model ?? ''}`}
        open={editing !== null}
        onClose={() => setEditing(null)}
        size={520}
        extra={
          <Button type="primary" loading={replace.isPending} onClick={saveRow}>
            {t('common.save')}
          </Button>
        }
      >
        <ErrorAlert error={replace.error} />
        {editing && (
          <Form layout="vertical">
            <Form.Item label={t('playground.model')} required>
              <Input
                value={editing.model}
                disabled={!editing.isNew}
                onChange={(e) => setEditing({ ...editing, model: e.target.value })}
              />
            </Form.Item>
            <Form.Item
              label={t('prices.ruleJson')}
              validateStatus={jsonError ? 'error' : undefined}
              help={jsonError ?? t('prices.ruleHelp')}
            >
              <Input.TextArea
                rows={16}
                value={editing.json}
                onChange={(e) => setEditing({ ...editing, json: e.target.value })}
                style={{ fontFamily: 'monospace' }}
                spellCheck={false}
              />
            </Form.Item>
          </Form>
        )}
      </Drawer>
    </>
  );
}

// What a customer is quoted right now (the saved table), for any model and parameters.
function QuotePreview({ models }: { models: string[] }) {
  const { t } = useTranslation();
  const [q, setQ] = useState<Schemas['QuoteRequestDto']>({
    model: '',
    kind: 'text2video',
    duration: 5,
    aspect_ratio: '16:9',
  });
  const model = q.model || models[0] || '';
  const quote = useQuery({
    queryKey: ['quote', 'admin-preview', { ...q, model }],
    queryFn: () => unwrap(api.POST('/api/billing/quote', { body: { ...q, model } })),
    enabled: model !== '',
    retry: false,
  });
  const set = (patch: Partial<Schemas['QuoteRequestDto']>) => setQ((x) => ({ ...x, ...patch }));
  return (
    <Card size="small" title={t('prices.preview')}>
      <Form layout="vertical">
        <Form.Item label={t('playground.model')}>
          <Select
            value={model}
            onChange={(m) => set({ model: m })}
            options={models.map((m) => ({ value: m, label: m }))}
            aria-label={t('playground.model')}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item label={t('playground.kind')}>
            <Select
              style={{ width: 160 }}
              value={q.kind}
              onChange={(kind) => set({ kind })}
              options={['text2video', 'image2video', 'multi-image2video', 'omni-video'].map((k) => ({
                value: k,
                label: k,
              }))}
              aria-label={t('playground.kind')}
            />
          </Form.Item>
          <Form.Item label={t('playground.duration')}>
            <InputNumber
              min={1}
              max={60}
              value={q.duration}
              onChange={(d) => set({ duration: d ?? undefined })}
              aria-label={t('playground.duration')}
            />
          </Form.Item>
          <Form.Item label={t('playground.aspect')}>
            <Select
              style={{ width: 90 }}
              value={q.aspect_ratio}
              onChange={(a) => set({ aspect_ratio: a })}
              options={['16:9', '9:16', '1:1', '21:9', '9:21'].map((a) => ({ value: a, label: a }))}
              aria-label={t('playground.aspect')}
            />
          </Form.Item>
          <Form.Item label={t('batches.resolution')}>
            <Select
              allowClear
              style={{ width: 100 }}
              value={q.resolution}
              onChange={(r) => set({ resolution: r })}
              options={['720p', '1080p'].map((a) => ({ value: a, label: a }))}
              aria-label={t('batches.resolution')}
            />
          </Form.Item>
        </Space>
      </Form>
      <ErrorAlert error={quote.error} />
      {quote.data && (
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="admin-quote">
          <Credits value={quote.data.credits} /> {t('common.credits')}
        </Typography.Title>
      )}
    </Card>
  );
}
