import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useSession } from '../../auth/use-session';
import { CopyOnce } from '../../components/copy-once';
import { Credits } from '../../components/credits';
import { ErrorAlert } from '../../components/error-alert';
import { applyFieldErrors } from '../../components/form-errors';
import { PageHeader } from '../../components/page-header';
import { Time } from '../../components/time';
import { usePaging } from '../../lib/paging';
import { creditsAmountRules, emailRules, newPasswordRules } from '../../lib/validation';
import { UserKeysModal } from './user-keys-modal';

type User = Schemas['UserDto'];
const ROLES = ['user', 'admin'] as const;
const PLANS = ['free', 'pro', 'pro_plus', 'enterprise'] as const;
const STATUSES = ['active', 'disabled'] as const;

interface CreateForm {
  email: string;
  role: (typeof ROLES)[number];
  plan: (typeof PLANS)[number];
  access: 'link' | 'password';
  password?: string;
  credits?: number | null;
}

interface Secret {
  title: string;
  label: string;
  value: string;
  extra?: string;
}

export default function UsersPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useSession()?.user;
  const { paging, pagination, reset } = usePaging();
  const [filters, setFilters] = useState<{
    q?: string;
    role?: User['role'];
    plan?: User['plan'];
    status?: User['status'];
  }>({});
  const [creating, setCreating] = useState(false);
  const [crediting, setCrediting] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [keysOf, setKeysOf] = useState<User | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const users = useQuery({
    queryKey: ['users', paging, filters],
    queryFn: () => unwrap(api.GET('/api/admin/users', { params: { query: { ...paging, ...filters } } })),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['users'] });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: number } & Schemas['UpdateUserDto']) =>
      unwrap(api.PATCH('/api/admin/users/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
  const filter = (patch: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    reset();
  };
  return (
    <>
      <PageHeader
        title={t('nav.users')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('users.create')}
          </Button>
        }
      />
      <Space wrap className="page-actions">
        <Input.Search
          allowClear
          placeholder={t('users.search')}
          aria-label={t('users.search')}
          style={{ width: 240 }}
          onSearch={(q) => filter({ q: q.trim() || undefined })}
        />
        <Select
          allowClear
          placeholder={t('users.role')}
          aria-label={t('users.role')}
          style={{ width: 120 }}
          onChange={(role: User['role'] | undefined) => filter({ role })}
          options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
        />
        <Select
          allowClear
          placeholder={t('users.plan')}
          aria-label={t('users.plan')}
          style={{ width: 140 }}
          onChange={(plan: User['plan'] | undefined) => filter({ plan })}
          options={PLANS.map((p) => ({ value: p, label: t(`plan.${p}`) }))}
        />
        <Select
          allowClear
          placeholder={t('common.status')}
          aria-label={t('common.status')}
          style={{ width: 120 }}
          onChange={(status: User['status'] | undefined) => filter({ status })}
          options={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
      </Space>
      <ErrorAlert error={users.error ?? update.error} />
      <Card size="small">
        <Table<User>
          rowKey="id"
          size="small"
          loading={users.isLoading}
          dataSource={users.data?.items}
          pagination={pagination(users.data?.total)}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: 'ID', dataIndex: 'id' },
            { title: t('auth.email'), dataIndex: 'email' },
            {
              title: t('users.role'),
              dataIndex: 'role',
              render: (v: User['role'], u) => (
                <Select
                  size="small"
                  value={v}
                  disabled={u.id === me?.id}
                  style={{ width: 100 }}
                  aria-label={`${t('users.role')} ${u.email}`}
                  onChange={(role) => update.mutate({ id: u.id, role })}
                  options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                />
              ),
            },
            {
              title: t('users.plan'),
              dataIndex: 'plan',
              render: (v: User['plan'], u) => (
                <Select
                  size="small"
                  value={v}
                  style={{ width: 120 }}
                  aria-label={`${t('users.plan')} ${u.email}`}
                  onChange={(plan) => update.mutate({ id: u.id, plan })}
                  options={PLANS.map((p) => ({ value: p, label: t(`plan.${p}`) }))}
                />
              ),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (v: User['status'], u) => (
                <Switch
                  size="small"
                  checked={v === 'active'}
                  disabled={u.id === me?.id}
                  aria-label={`${t('status.active')} ${u.email}`}
                  checkedChildren={t('status.active')}
                  unCheckedChildren={t('status.disabled')}
                  onChange={(on) => update.mutate({ id: u.id, status: on ? 'active' : 'disabled' })}
                />
              ),
            },
            { title: t('common.created'), dataIndex: 'created_at', render: (v: number) => <Time value={v} /> },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, u) => (
                <Space wrap>
                  <Button size="small" onClick={() => setCrediting(u)}>
                    {t('users.adjustCredits')}
                  </Button>
                  <Button size="small" onClick={() => setResetting(u)}>
                    {t('users.resetPassword')}
                  </Button>
                  <Button size="small" onClick={() => setKeysOf(u)}>
                    {t('users.keys')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <CreateUserModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(s) => {
          refresh();
          setSecret(s);
        }}
      />
      <CreditsModal user={crediting} onClose={() => setCrediting(null)} />
      <UserKeysModal user={keysOf} onClose={() => setKeysOf(null)} />
      <ResetModal user={resetting} onClose={() => setResetting(null)} onDone={setSecret} />
      <Modal
        title={secret?.title}
        open={secret !== null}
        onCancel={() => setSecret(null)}
        footer={
          <Button type="primary" onClick={() => setSecret(null)}>
            {t('common.done')}
          </Button>
        }
        maskClosable={false}
        destroyOnHidden
      >
        {secret && (
          <>
            {secret.extra && <p>{secret.extra}</p>}
            <CopyOnce label={secret.label} value={secret.value} />
          </>
        )}
      </Modal>
    </>
  );
}

function CreateUserModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (s: Secret | null) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateForm>();
  const access = Form.useWatch('access', form) ?? 'link';
  const create = useMutation({
    mutationFn: async (v: CreateForm) => {
      const res = await unwrap(
        api.POST('/api/admin/users', {
          body: {
            email: v.email,
            role: v.role,
            plan: v.plan,
            ...(v.access === 'password' ? { password: v.password } : {}),
          },
        }),
      );
      // Initial credits are an ordinary adjustment; its reference makes a retried submit a no-op.
      if (v.credits) {
        await unwrap(
          api.POST('/api/admin/users/{id}/credits', {
            params: { path: { id: res.user.id } },
            body: { amount: v.credits, reason: 'Initial credits', reference: `initial-${res.user.id}` },
          }),
        );
      }
      return res;
    },
    onSuccess: (res) => {
      form.resetFields();
      onClose();
      onCreated(
        res.setup_link
          ? {
              title: t('users.created'),
              label: t('users.setupLink'),
              value: res.setup_link.url,
              extra: t('users.setupLinkHelp', { email: res.user.email }),
            }
          : null,
      );
    },
    onError: (err) => applyFieldErrors(form, err),
  });
  return (
    <Modal
      title={t('users.create')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okText={t('common.create')}
    >
      <ErrorAlert error={create.error} />
      <Form<CreateForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ role: 'user', plan: 'free', access: 'link' }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="email" label={t('auth.email')} rules={emailRules(t)}>
          <Input autoComplete="off" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="role" label={t('users.role')}>
            <Select style={{ width: 120 }} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          </Form.Item>
          <Form.Item name="plan" label={t('users.plan')}>
            <Select style={{ width: 140 }} options={PLANS.map((p) => ({ value: p, label: t(`plan.${p}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="access" label={t('users.access')}>
          <Radio.Group
            options={[
              { value: 'link', label: t('users.accessLink') },
              { value: 'password', label: t('users.accessPassword') },
            ]}
          />
        </Form.Item>
        {access === 'password' && (
          <Form.Item name="password" label={t('users.initialPassword')} rules={newPasswordRules(t)}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item
          name="credits"
          label={t('users.initialCredits')}
          rules={[{ type: 'number', min: 0, message: t('validation.nonNegative') }]}
        >
          <InputNumber style={{ width: '100%' }} min={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CreditsModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ amount: number; reason: string }>();
  const [reference] = useState(() => crypto.randomUUID());
  const adjust = useMutation({
    mutationFn: (v: { amount: number; reason: string }) =>
      unwrap(
        api.POST('/api/admin/users/{id}/credits', {
          params: { path: { id: user!.id } },
          body: { ...v, reference: `console-${reference}` },
        }),
      ),
    onError: (err) => applyFieldErrors(form, err),
  });
  const close = () => {
    adjust.reset();
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      title={`${t('users.adjustCredits')} · ${user?.email ?? ''}`}
      open={user !== null}
      onCancel={close}
      onOk={() => (adjust.isSuccess ? close() : form.submit())}
      okText={adjust.isSuccess ? t('common.done') : t('common.save')}
      confirmLoading={adjust.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={adjust.error} />
      {adjust.data ? (
        <p data-testid="adjust-result">
          {t('users.adjusted')} <Credits value={adjust.data.entry.amount} signed /> → {t('billing.available')}:{' '}
          <Credits value={adjust.data.balance.available} />
        </p>
      ) : (
        <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => adjust.mutate(v)}>
          <Form.Item
            name="amount"
            label={t('users.amount')}
            extra={t('users.amountHelp')}
            rules={creditsAmountRules(t)}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('users.reason')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { min: 3, message: t('validation.tooShort', { min: 3 }) },
              { max: 255, message: t('validation.tooLong', { max: 255 }) },
            ]}
          >
            <Input />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function ResetModal({
  user,
  onClose,
  onDone,
}: {
  user: User | null;
  onClose: () => void;
  onDone: (s: Secret) => void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'link' | 'password'>('link');
  const reset = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/admin/users/{id}/password-reset', { params: { path: { id: user!.id } }, body: { mode } })),
    onSuccess: (res) => {
      onClose();
      onDone(
        res.link
          ? {
              title: t('users.resetPassword'),
              label: t('users.resetLink'),
              value: res.link.url,
              extra: t('users.resetLinkHelp'),
            }
          : {
              title: t('users.resetPassword'),
              label: t('users.generatedPassword'),
              value: res.password ?? '',
              extra: t('users.generatedHelp'),
            },
      );
    },
  });
  return (
    <Modal
      title={`${t('users.resetPassword')} · ${user?.email ?? ''}`}
      open={user !== null}
      onCancel={onClose}
      onOk={() => reset.mutate()}
      confirmLoading={reset.isPending}
      okText={t('users.reset')}
      destroyOnHidden
    >
      <ErrorAlert error={reset.error} />
      <Radio.Group
        value={mode}
        onChange={(e) => setMode(e.target.value as 'link' | 'password')}
        style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
        options={[
          { value: 'link', label: t('users.resetByLink') },
          { value: 'password', label: t('users.resetByPassword') },
        ]}
      />
    </Modal>
  );
}
