import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Modal,
  Popconfirm,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { usePaging } from '../../lib/paging';
import { useCatalog } from '../../lib/catalog';
import { ChannelForm, channelBody, type ChannelFormValues } from './channel-form';

type Channel = Schemas['ChannelDto'];

export default function ChannelsPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<ChannelFormValues>();
  const [editing, setEditing] = useState<Channel | 'new' | null>(null);
  const [tested, setTested] = useState<{ channel: Channel; result: Schemas['ChannelTestDto'] } | null>(null);
  const { paging, pagination } = usePaging();
  const catalog = useCatalog();
  const models = catalog.data?.models ?? [];
  const channels = useQuery({
    queryKey: ['channels', paging],
    queryFn: () => unwrap(api.GET('/api/admin/channels', { params: { query: paging } })),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['channels'] });
  const save = useMutation({
    mutationFn: (v: ChannelFormValues) =>
      editing === 'new' || editing === null
        ? unwrap(api.POST('/api/admin/channels', { body: channelBody(v, false) as Schemas['CreateChannelDto'] }))
        : unwrap(
            api.PATCH('/api/admin/channels/{id}', { params: { path: { id: editing.id } }, body: channelBody(v, true) }),
          ),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
    onError: (err) => applyFieldErrors(form, err, { key: form.getFieldValue('type') === 'kling' ? 'ak' : 'api_key' }),
  });
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: number; status: 'enabled' | 'disabled' }) =>
      unwrap(api.PATCH('/api/admin/channels/{id}', { params: { path: { id } }, body: { status } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/admin/channels/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: (c: Channel) => unwrap(api.POST('/api/admin/channels/{id}/test', { params: { path: { id: c.id } } })),
    onSuccess: (result, channel) => {
      setTested({ channel, result });
      refresh();
    },
  });
  const open = (c: Channel | 'new') => {
    form.resetFields();
    if (c !== 'new') {
      form.setFieldsValue({
        name: c.name,
        type: c.type,
        base_url: c.base_url,
        models: c.models,
        priority: c.priority,
        weight: c.weight,
        status: c.status === 'disabled' ? 'disabled' : 'enabled',
      });
    }
    save.reset();
    setEditing(c);
  };
  return (
    <>
      <PageHeader
        title={t('nav.channels')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('channels.add')}
          </Button>
        }
      >
        {t('channels.intro')}
      </PageHeader>
      <ErrorAlert error={channels.error ?? setStatus.error ?? remove.error ?? test.error} />
      <Card size="small">
        <Table<Channel>
          rowKey="id"
          size="small"
          loading={channels.isLoading}
          dataSource={channels.data?.items}
          pagination={pagination(channels.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: 'ID', dataIndex: 'id' },
            { title: t('channels.name'), dataIndex: 'name' },
            { title: t('channels.type'), dataIndex: 'type', render: (v: string) => <Tag>{v}</Tag> },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string, c) => (
                <Space direction="vertical" size={0}>
                  <StatusTag status={s} />
                  {c.disabled_reason && (
                    <Typography.Text type="danger" style={{ fontSize: 12 }}>
                      {c.disabled_reason}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('channels.models'),
              dataIndex: 'models',
              render: (m: string[]) => (
                <Space size={[0, 4]} wrap>
                  {m.map((x) => (
                    <Tag key={x}>{x}</Tag>
                  ))}
                </Space>
              ),
            },
            { title: t('channels.priority'), dataIndex: 'priority' },
            { title: t('channels.weight'), dataIndex: 'weight' },
            { title: t('channels.key'), dataIndex: 'key_masked', render: (v: string) => <code>{v}</code> },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, c) => (
                <Space wrap>
                  <Tooltip title={c.status === 'enabled' ? t('channels.disable') : t('channels.enable')}>
                    <Switch
                      size="small"
                      checked={c.status === 'enabled'}
                      aria-label={`${c.status === 'enabled' ? t('channels.disable') : t('channels.enable')} ${c.name}`}
                      onChange={(on) => setStatus.mutate({ id: c.id, status: on ? 'enabled' : 'disabled' })}
                    />
                  </Tooltip>
                  <Button
                    size="small"
                    loading={test.isPending && test.variables?.id === c.id}
                    onClick={() => test.mutate(c)}
                  >
                    {t('channels.test')}
                  </Button>
                  <Button size="small" onClick={() => open(c)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm title={t('channels.deleteConfirm')} onConfirm={() => remove.mutate(c.id)}>
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
      <Drawer
        title={editing === 'new' ? t('channels.add') : t('channels.edit')}
        open={editing !== null}
        onClose={() => setEditing(null)}
        size={520}
        destroyOnHidden={false}
        extra={
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        }
      >
        <ErrorAlert error={save.error} />
        <ChannelForm form={form} editing={editing !== 'new'} catalog={models} onFinish={(v) => save.mutate(v)} />
      </Drawer>
      <Modal
        title={t('channels.testResult', { name: tested?.channel.name ?? '' })}
        open={tested !== null}
        onCancel={() => setTested(null)}
        footer={<Button onClick={() => setTested(null)}>{t('common.close')}</Button>}
      >
        {tested && (
          <div data-testid="channel-test-result">
            <Alert
              type={tested.result.ok ? 'success' : 'error'}
              showIcon
              title={tested.result.ok ? t('channels.testOk') : t('channels.testFailed')}
              description={tested.result.message}
            />
            {Object.keys(tested.result.details ?? {}).length > 0 && (
              <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }}>
                {Object.entries(tested.result.details ?? {}).map(([k, v]) => (
                  <Descriptions.Item key={k} label={k}>
                    {typeof v === 'string' ? v : JSON.stringify(v)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )}
          </div>
        )}
      </Modal>
    </>
  );
}
