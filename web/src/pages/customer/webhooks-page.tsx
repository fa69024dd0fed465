import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { CopyOnce } from '../../components/copy-once';
import { deliveryStateColumns } from '../../components/delivery-columns';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { usePaging } from '../../lib/paging';
import { WebhookForm, webhookBody, webhookPatch, type WebhookFormValues } from './webhook-form';

type Endpoint = Schemas['WebhookEndpointDto'];
type Delivery = Schemas['WebhookDeliveryDto'];

const path = (id: string) => ({ params: { path: { webhook_id: id } } });

export default function WebhooksPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<WebhookFormValues>();
  const [editing, setEditing] = useState<Endpoint | 'new' | null>(null);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const { paging, pagination } = usePaging();
  const list = useQuery({
    queryKey: ['webhooks', paging],
    queryFn: () => unwrap(api.GET('/api/webhooks', { params: { query: paging } })),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['webhooks'] });
  const close = () => {
    setEditing(null);
    form.resetFields();
  };
  const save = useMutation({
    mutationFn: (v: WebhookFormValues) =>
      editing === 'new' || editing === null
        ? unwrap(api.POST('/api/webhooks', { body: webhookBody(v) }))
        : unwrap(api.PATCH('/api/webhooks/{webhook_id}', { ...path(editing.id), body: webhookPatch(v) })),
    onSuccess: (res) => {
      close();
      refresh();
      if ('secret' in res && typeof res.secret === 'string')
        setSecret({ title: t('webhooks.createdTitle'), value: res.secret });
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  const rotate = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/webhooks/{webhook_id}/rotate-secret', path(id))),
    onSuccess: (res) => setSecret({ title: t('webhooks.rotatedTitle'), value: res.secret }),
  });
  const test = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/webhooks/{webhook_id}/test', path(id))),
    onSuccess: (_d, id) => {
      void message.success(t('webhooks.testQueued'));
      setExpanded((keys) => (keys.includes(id) ? keys : [...keys, id]));
      void qc.invalidateQueries({ queryKey: ['deliveries', id] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/webhooks/{webhook_id}', path(id))),
    onSuccess: refresh,
  });
  const edit = (e: Endpoint) => {
    form.setFieldsValue({ url: e.url, events: e.events, description: e.description ?? '', enabled: e.enabled });
    setEditing(e);
  };

  return (
    <>
      <PageHeader
        title={t('nav.webhooks')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('webhooks.add')}
          </Button>
        }
      >
        {t('webhooks.intro')}
      </PageHeader>
      <ErrorAlert error={list.error ?? rotate.error ?? test.error ?? remove.error} />
      <Card size="small" title={t('webhooks.endpoints')} style={{ marginBottom: 16 }}>
        <Table<Endpoint>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={pagination(list.data?.total)}
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowKeys: expanded,
            onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
            expandedRowRender: (e) => <Deliveries endpoint={e} />,
          }}
          columns={[
            {
              title: t('webhooks.url'),
              dataIndex: 'url',
              render: (url: string, e) => (
                <>
                  <Typography.Text code>{url}</Typography.Text>
                  {e.description && <div style={{ fontSize: 12 }}>{e.description}</div>}
                </>
              ),
            },
            {
              title: t('webhooks.events'),
              dataIndex: 'events',
              render: (events: string[]) => events.map((ev) => <Tag key={ev}>{ev}</Tag>),
            },
            {
              title: t('common.status'),
              key: 'status',
              render: (_: unknown, e) => (
                <>
                  <StatusTag status={e.enabled ? 'enabled' : 'disabled'} />
                  {e.disabled_reason && (
                    <div>
                      <Typography.Text type="danger">{e.disabled_reason}</Typography.Text>
                    </div>
                  )}
                </>
              ),
            },
            { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, e) => (
                <Space wrap size={4}>
                  <Button
                    size="small"
                    onClick={() => test.mutate(e.id)}
                    loading={test.isPending && test.variables === e.id}
                  >
                    {t('webhooks.sendTest')}
                  </Button>
                  <Button size="small" onClick={() => edit(e)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('webhooks.rotateConfirm')} onConfirm={() => rotate.mutate(e.id)}>
                    <Button size="small">{t('webhooks.rotate')}</Button>
                  </Popconfirm>
                  <Popconfirm title={t('webhooks.deleteConfirm')} onConfirm={() => remove.mutate(e.id)}>
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
      <CallbackSecret />
      <Modal
        title={editing === 'new' ? t('webhooks.add') : t('webhooks.edit')}
        open={editing !== null}
        onCancel={close}
        onOk={() => form.submit()}
        okText={editing === 'new' ? t('common.create') : t('common.save')}
        confirmLoading={save.isPending}
        forceRender
      >
        <ErrorAlert error={save.error} />
        <WebhookForm form={form} editing={editing !== 'new'} onFinish={(v) => save.mutate(v)} />
      </Modal>
      <Modal
        title={secret?.title}
        open={secret !== null}
        onCancel={() => setSecret(null)}
        footer={
          <Button type="primary" onClick={() => setSecret(null)}>
            {t('keys.savedIt')}
          </Button>
        }
        maskClosable={false}
        destroyOnHidden
      >
        {secret && <CopyOnce label={t('webhooks.secret')} value={secret.value} warning={t('webhooks.secretOnce')} />}
      </Modal>
    </>
  );
}

function Deliveries({ endpoint }: { endpoint: Endpoint }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { paging, pagination } = usePaging(10);
  const list = useQuery({
    queryKey: ['deliveries', endpoint.id, paging],
    queryFn: () =>
      unwrap(
        api.GET('/api/webhooks/{webhook_id}/deliveries', {
          params: { path: { webhook_id: endpoint.id }, query: paging },
        }),
      ),
    // Pending deliveries move on their own: look again while any is waiting.
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? 2000 : false),
  });
  const redeliver = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/api/webhooks/deliveries/{delivery_id}/redeliver', { params: { path: { delivery_id: id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['deliveries', endpoint.id] }),
  });
  return (
    <div data-testid="deliveries">
      <ErrorAlert error={list.error ?? redeliver.error} />
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('webhooks.deliveries')}</Typography.Text>
        <Button
          size="small"
          icon={<ReloadOutlined />}
          aria-label={t('webhooks.reload')}
          onClick={() => void list.refetch()}
        />
      </Space>
      <Table<Delivery>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items}
        pagination={pagination(list.data?.total)}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('webhooks.noDeliveries') }}
        columns={[
          { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
          ...deliveryStateColumns<Delivery>(t),
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, d) => (
              <Button
                size="small"
                onClick={() => redeliver.mutate(d.id)}
                loading={redeliver.isPending && redeliver.variables === d.id}
              >
                {t('webhooks.redeliver')}
              </Button>
            ),
          },
        ]}
      />
    </div>
  );
}

// The per-user secret that signs Kling-style callback_url calls: read on demand (the first read
// creates it), copyable, replaceable.
function CallbackSecret() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [shown, setShown] = useState(false);
  const secret = useQuery({
    queryKey: ['callback-secret'],
    queryFn: () => unwrap(api.GET('/api/webhooks/callback-secret')),
    enabled: shown,
    staleTime: Infinity,
  });
  const rotate = useMutation({
    mutationFn: () => unwrap(api.POST('/api/webhooks/callback-secret/rotate')),
    onSuccess: (res) => {
      qc.setQueryData(['callback-secret'], res);
      setShown(true);
    },
  });
  return (
    <Card size="small" title={t('webhooks.callbackSecret')}>
      <Typography.Paragraph type="secondary">{t('webhooks.callbackSecretHelp')}</Typography.Paragraph>
      <ErrorAlert error={secret.error ?? rotate.error} />
      <Space wrap>
        {shown && secret.data ? (
          <Typography.Text code copyable data-testid="callback-secret">
            {secret.data.secret}
          </Typography.Text>
        ) : (
          <Button onClick={() => setShown(true)} loading={shown && secret.isLoading}>
            {t('webhooks.showSecret')}
          </Button>
        )}
        <Popconfirm title={t('webhooks.rotateCallbackConfirm')} onConfirm={() => rotate.mutate()}>
          <Button loading={rotate.isPending}>{t('webhooks.rotate')}</Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}
