import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Space,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { CopyOnce } from '../../components/copy-once';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { Time } from '../../components/time';
import { usePaging } from '../../lib/paging';
import { CapFields, CapsModal, type CapsForm } from './key-caps';

interface KeyForm extends CapsForm {
  name: string;
  expires?: Dayjs | null;
}

type Key = Schemas['ApiTokenDto'];

// What the key has spent against its cap (spending is counted only while a cap is set).
export function SpendCell({ spent, cap }: { spent: number; cap: number | null }) {
  const { t } = useTranslation();
  if (cap === null) return <Typography.Text type="secondary">{t('keys.noCap')}</Typography.Text>;
  const percent = Math.min(100, Math.round((spent / cap) * 100));
  return (
    <div style={{ minWidth: 140 }}>
      <span className="spend">
        <Credits value={spent} /> / <Credits value={cap} />
      </span>
      <Progress
        percent={percent}
        size="small"
        showInfo={false}
        status={spent >= cap ? 'exception' : 'normal'}
        aria-label={t('keys.spentOfCap')}
      />
    </div>
  );
}

// What identifies a key and its day's spend, for the user's own list and an operator's view of it.
export function keyColumns<T extends Key>(t: (k: string) => string): TableColumnsType<T> {
  return [
    { title: t('keys.name'), dataIndex: 'name' },
    { title: t('keys.prefix'), dataIndex: 'key_prefix', render: (v: string) => <code>{v}…</code> },
    { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
    {
      title: t('keys.expires'),
      dataIndex: 'expires_at',
      render: (v: number | null) => (v ? <Time value={v} /> : t('keys.never')),
    },
    {
      title: t('keys.today'),
      key: 'day',
      render: (_: unknown, k) => <SpendCell spent={k.spent_today} cap={k.credits_per_day} />,
    },
  ];
}

export default function KeysPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<KeyForm>();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Schemas['CreatedTokenDto'] | null>(null);
  const [capping, setCapping] = useState<Key | null>(null);
  const { paging, pagination } = usePaging();
  const keys = useQuery({
    queryKey: ['tokens', paging],
    queryFn: () => unwrap(api.GET('/api/tokens', { params: { query: paging } })),
  });
  const create = useMutation({
    mutationFn: (v: KeyForm) =>
      unwrap(
        api.POST('/api/tokens', {
          body: {
            name: v.name.trim(),
            ...(v.expires ? { expires_at: v.expires.endOf('day').unix() } : {}),
            ...(v.credits_per_day != null ? { credits_per_day: v.credits_per_day } : {}),
            ...(v.credits_per_month != null ? { credits_per_month: v.credits_per_month } : {}),
          },
        }),
      ),
    onSuccess: (k) => {
      setOpen(false);
      form.resetFields();
      setCreated(k);
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: (err) => applyFieldErrors(form, err, { expires_at: 'expires' }),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['tokens'] }),
  });
  return (
    <>
      <PageHeader
        title={t('nav.keys')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('keys.create')}
          </Button>
        }
      >
        {t('keys.intro')}
      </PageHeader>
      <ErrorAlert error={keys.error ?? revoke.error} />
      <Card size="small">
        <Table<Key>
          rowKey="id"
          size="small"
          loading={keys.isLoading}
          dataSource={keys.data?.items}
          pagination={pagination(keys.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={[
            ...keyColumns<Key>(t),
            {
              title: t('keys.thisMonth'),
              key: 'month',
              render: (_: unknown, k) => <SpendCell spent={k.spent_this_month} cap={k.credits_per_month} />,
            },
            { title: t('keys.lastUsed'), dataIndex: 'last_used_at', render: (v: number | null) => <Time value={v} /> },
            { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, k) =>
                k.status === 'active' && (
                  <Space>
                    <Button size="small" onClick={() => setCapping(k)}>
                      {t('keys.editCaps')}
                    </Button>
                    <Popconfirm title={t('keys.revokeConfirm')} onConfirm={() => revoke.mutate(k.id)}>
                      <Button danger size="small">
                        {t('keys.revoke')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Modal
        title={t('keys.create')}
        open={open}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        okText={t('common.create')}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <ErrorAlert error={create.error} />
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="name"
            label={t('keys.name')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { max: 64, message: t('validation.tooLong', { max: 64 }) },
            ]}
          >
            <Input autoFocus placeholder="render-farm" />
          </Form.Item>
          <Form.Item name="expires" label={t('keys.expiresOptional')}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
          <CapFields />
        </Form>
      </Modal>
      {capping && <CapsModal k={capping} onClose={() => setCapping(null)} />}
      <Modal
        title={t('keys.createdTitle')}
        open={created !== null}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('keys.savedIt')}
          </Button>
        }
        maskClosable={false}
        destroyOnHidden
      >
        {created && <CopyOnce label={t('keys.theKey')} value={created.key} warning={t('keys.shownOnce')} />}
      </Modal>
    </>
  );
}
