import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { PageHeader } from '../../components/page-header';
import { StatusTag } from '../../components/status-tag';
import { formatYuanFromFen } from '../../lib/money';

type Pkg = Schemas['PackageDto'];
interface PkgForm {
  code: string;
  name: string;
  price_fen: number;
  credits: number;
  grants_plan: 'pro' | 'pro_plus' | 'enterprise' | null;
  status: 'active' | 'inactive';
  sort: number;
}

export default function PackagesPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<PkgForm>();
  const [editing, setEditing] = useState<Pkg | 'new' | null>(null);
  const list = useQuery({
    queryKey: ['admin-packages'],
    queryFn: () => unwrap(api.GET('/api/admin/packages', { params: { query: { page: 1, page_size: 100 } } })),
  });
  const save = useMutation({
    mutationFn: ({ code, ...v }: PkgForm) =>
      editing === 'new' || editing === null
        ? unwrap(api.POST('/api/admin/packages', { body: { code, ...v } }))
        : unwrap(api.PATCH('/api/admin/packages/{id}', { params: { path: { id: editing.id } }, body: v })),
    onSuccess: () => {
      setEditing(null);
      void qc.invalidateQueries({ queryKey: ['admin-packages'] });
      void qc.invalidateQueries({ queryKey: ['packages'] });
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  const open = (p: Pkg | 'new') => {
    form.resetFields();
    if (p !== 'new') form.setFieldsValue({ ...p, grants_plan: p.grants_plan ?? null });
    save.reset();
    setEditing(p);
  };
  return (
    <>
      <PageHeader
        title={t('nav.packages')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')}>
            {t('packages.add')}
          </Button>
        }
      />
      <ErrorAlert error={list.error} />
      <Card size="small">
        <Table<Pkg>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('packages.code'), dataIndex: 'code', render: (v: string) => <code>{v}</code> },
            { title: t('packages.name'), dataIndex: 'name' },
            { title: t('billing.price'), dataIndex: 'price_fen', render: (v: number) => `¥${formatYuanFromFen(v)}` },
            {
              title: t('common.creditsColumn'),
              dataIndex: 'credits',
              align: 'right',
              render: (v: number) => <Credits value={v} />,
            },
            {
              title: t('packages.grantsPlan'),
              dataIndex: 'grants_plan',
              render: (v: string | null) => (v ? <Tag>{t(`plan.${v}`)}</Tag> : '—'),
            },
            { title: t('common.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
            { title: t('packages.sort'), dataIndex: 'sort' },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, p) => (
                <Button size="small" onClick={() => open(p)}>
                  {t('common.edit')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        title={editing === 'new' ? t('packages.add') : t('common.edit')}
        open={editing !== null}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        okText={t('common.save')}
      >
        <ErrorAlert error={save.error} />
        <Form<PkgForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ status: 'active', sort: 0, grants_plan: null }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item
            name="code"
            label={t('packages.code')}
            rules={[
              { required: editing === 'new', message: t('validation.required') },
              { pattern: /^[a-z0-9_-]{1,32}$/, message: t('validation.code') },
            ]}
          >
            <Input disabled={editing !== 'new'} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('packages.name')}
            rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="price_fen"
            label={t('packages.priceFen')}
            extra={t('packages.priceFenHelp')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={1} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="credits"
            label={t('common.credits')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="grants_plan" label={t('packages.grantsPlan')}>
            <Select
              options={[
                { value: null, label: '—' },
                { value: 'pro', label: t('plan.pro') },
                { value: 'pro_plus', label: t('plan.pro_plus') },
                { value: 'enterprise', label: t('plan.enterprise') },
              ]}
            />
          </Form.Item>
          <Form.Item name="status" label={t('common.status')}>
            <Radio.Group
              options={[
                { value: 'active', label: t('status.active') },
                { value: 'inactive', label: t('status.inactive') },
              ]}
            />
          </Form.Item>
          <Form.Item name="sort" label={t('packages.sort')}>
            <InputNumber precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
