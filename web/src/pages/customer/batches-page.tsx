import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Row,
  Select,
  Table,
  Tabs,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { batchQuote, CSV_TEMPLATE, parseBatchText, type BatchDefaults, type RowError } from '../../lib/batch-csv';
import { resolutionsOf, useCatalog, type CatalogModel } from '../../lib/catalog';
import { finishedCount } from '../../lib/batch-progress';
import { usePaging } from '../../lib/paging';

// Sora 2 at its defaults when offered (the batch API's own default), else the first catalog model.
function batchDefaults(models: CatalogModel[]): BatchDefaults {
  const m = models.find((x) => x.id === 'sora-2') ?? models[0];
  if (!m) return { model: 'sora-2', resolution: '720p', duration: 10 };
  const size = m.sizes.find((x) => x.size === m.default_size) ?? m.sizes[0];
  return { model: m.id, resolution: size?.resolution ?? '720p', duration: m.default_seconds };
}

function downloadTemplate() {
  const url = URL.createObjectURL(new Blob([CSV_TEMPLATE + '\n'], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'reelay-batch-template.csv';
  a.click();
  URL.revokeObjectURL(url);
}

export default function BatchesPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('nav.batches')}>{t('batches.intro')}</PageHeader>
      <NewBatch />
      <BatchList />
    </>
  );
}

function useRowErrorText() {
  const { t } = useTranslation();
  return (e: RowError) =>
    t(`batches.rowError.${e.code}`, { line: e.line, field: e.field, allowed: e.allowed?.join(', ') ?? '' });
}

function NewBatch() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorText = useRowErrorText();
  const [text, setText] = useState('');
  const catalog = useCatalog();
  const models = useMemo(() => catalog.data?.models ?? [], [catalog.data]);
  const [chosen, setDefaults] = useState<BatchDefaults | null>(null);
  const defaults = chosen ?? batchDefaults(models);
  const model = models.find((m) => m.id === defaults.model);
  const parsed = useMemo(() => parseBatchText(text, defaults, models), [text, defaults, models]);
  const rows = parsed.rows;
  const errors = models.length > 0 ? parsed.errors : []; // checked once the catalog is here
  const total = useMemo(() => batchQuote(rows, defaults, models), [rows, defaults, models]);
  const quoted = total !== null;
  const limits = useQuery({ queryKey: ['batch-limits'], queryFn: () => unwrap(api.GET('/api/v1/workflow/limits')) });
  // A new default model keeps the resolution and duration it also offers, else takes its own.
  const pickModel = (id: string) => {
    const m = models.find((x) => x.id === id);
    if (!m) return;
    const res = resolutionsOf(m);
    setDefaults({
      model: id,
      resolution: res.includes(defaults.resolution) ? defaults.resolution : res[0],
      duration: m.seconds.includes(defaults.duration) ? defaults.duration : m.default_seconds,
    });
  };
  const tooMany = limits.data ? rows.length > limits.data.max_batch_rows : false;
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/workflow/batch-generate', {
          body: {
            rows,
            generationType: 'video',
            defaultModel: defaults.model,
            defaultResolution: defaults.resolution,
            defaultDuration: defaults.duration,
          },
        }),
      ),
    onSuccess: (b) => void navigate(`/batches/${b.id}`),
  });
  const readFile = async (file: File) => setText(await file.text());

  return (
    <Card size="small" title={t('batches.new')} style={{ marginBottom: 16 }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Tabs
            items={[
              {
                key: 'paste',
                label: t('batches.paste'),
                children: (
                  <Input.TextArea
                    rows={8}
                    value={text}
                    onChange={(e) => setText(e.target.value)}
                    placeholder={t('batches.pastePlaceholder')}
                    aria-label={t('batches.rowsLabel')}
                    data-testid="batch-rows"
                  />
                ),
              },
              {
                key: 'upload',
                label: t('batches.upload'),
                children: (
                  <Upload.Dragger
                    accept=".csv,text/csv"
                    maxCount={1}
                    showUploadList={false}
                    beforeUpload={(file) => {
                      void readFile(file);
                      return false;
                    }}
                  >
                    <p>
                      <UploadOutlined style={{ fontSize: 28 }} />
                    </p>
                    <p>{t('batches.uploadHint')}</p>
                  </Upload.Dragger>
                ),
              },
            ]}
          />
          <Button icon={<DownloadOutlined />} onClick={downloadTemplate} style={{ marginTop: 8 }}>
            {t('batches.template')}
          </Button>
        </Col>
        <Col xs={24} lg={10}>
          <Form layout="vertical">
            <Row gutter={8}>
              <Col span={10}>
                <Form.Item label={t('batches.defaultModel')}>
                  <Select
                    showSearch
                    value={defaults.model}
                    onChange={pickModel}
                    options={models.map((m) => ({ value: m.id, label: m.id, title: m.name }))}
                    aria-label={t('batches.defaultModel')}
                  />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item label={t('batches.defaultResolution')}>
                  <Select
                    value={defaults.resolution}
                    onChange={(resolution) => setDefaults({ ...defaults, resolution })}
                    options={(model ? resolutionsOf(model) : []).map((m) => ({ value: m, label: m }))}
                    aria-label={t('batches.defaultResolution')}
                  />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item label={t('batches.defaultDuration')}>
                  <Select
                    value={defaults.duration}
                    onChange={(duration) => setDefaults({ ...defaults, duration })}
                    options={(model?.seconds ?? []).map((m) => ({ value: m, label: `${m} s` }))}
                    aria-label={t('batches.defaultDuration')}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Form>
          <Descriptions size="small" column={1} bordered data-testid="batch-quote">
            <Descriptions.Item label={t('batches.rows')}>{rows.length}</Descriptions.Item>
            <Descriptions.Item label={t('batches.planLimits')}>
              {limits.data
                ? t('batches.limitsText', {
                    plan: t(`plan.${limits.data.plan}`),
                    rows: limits.data.max_batch_rows,
                    concurrency: limits.data.concurrency,
                  })
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('batches.quote')}>
              {total !== null && rows.length > 0 ? (
                <Typography.Text strong>
                  <Credits value={total} /> {t('common.credits')}
                </Typography.Text>
              ) : (
                '—'
              )}
            </Descriptions.Item>
          </Descriptions>
          {errors.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              title={t('batches.fixRows', { count: errors.length })}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {errors.slice(0, 8).map((e) => (
                    <li key={`${e.line}-${e.field}`}>{errorText(e)}</li>
                  ))}
                </ul>
              }
            />
          )}
          {tooMany && (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 12 }}
              title={t('batches.tooMany', { max: limits.data?.max_batch_rows })}
            />
          )}
          <ErrorAlert error={catalog.error} style={{ marginTop: 12 }} />
          <ErrorAlert error={create.error} style={{ marginTop: 12 }} />
          <Button
            type="primary"
            block
            style={{ marginTop: 12 }}
            disabled={rows.length === 0 || errors.length > 0 || tooMany || !quoted}
            loading={create.isPending}
            onClick={() => create.mutate()}
          >
            {t('batches.create')}
          </Button>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('batches.holdNote')}
          </Typography.Paragraph>
        </Col>
      </Row>
    </Card>
  );
}

function BatchList() {
  const { t } = useTranslation();
  const { paging, pagination } = usePaging(10);
  const list = useQuery({
    queryKey: ['batches', paging],
    queryFn: () => unwrap(api.GET('/api/v1/workflow/batches', { params: { query: paging } })),
    refetchInterval: 5000,
  });
  return (
    <Card size="small" title={t('batches.yours')}>
      <ErrorAlert error={list.error} />
      <Table<Schemas['BatchDto']>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={pagination(list.data?.total)}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('batches.id'), dataIndex: 'id', render: (id: string) => <Link to={`/batches/${id}`}>{id}</Link> },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          {
            title: t('batches.progress'),
            key: 'p',
            render: (_: unknown, b) => `${finishedCount(b.counts)} / ${b.total}`,
          },
          {
            title: t('common.creditsColumn'),
            dataIndex: 'credits',
            align: 'right',
            render: (v: number) => <Credits value={v} />,
          },
          { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
        ]}
      />
    </Card>
  );
}
