import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Modal, Popconfirm, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { ErrorAlert } from '../../components/error-alert';
import { Time } from '../../components/time';
import { usePaging } from '../../lib/paging';
import { keyColumns } from '../customer/keys-page';

type User = Schemas['UserDto'];

// A user's API keys as the user sees them (prefix only); an operator can revoke one for them.
export function UserKeysModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      title={user ? t('users.keysOf', { email: user.email }) : ''}
      open={user !== null}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('common.done')}</Button>}
      width={960}
      destroyOnHidden
    >
      {user && <KeysTable userId={user.id} />}
    </Modal>
  );
}

function KeysTable({ userId }: { userId: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { paging, pagination } = usePaging(10);
  const keys = useQuery({
    queryKey: ['admin-user-keys', userId, paging],
    queryFn: () => unwrap(api.GET('/api/admin/users/{id}/tokens', { params: { path: { id: userId }, query: paging } })),
  });
  const revoke = useMutation({
    mutationFn: (tokenId: number) =>
      unwrap(
        api.DELETE('/api/admin/users/{id}/tokens/{token_id}', { params: { path: { id: userId, token_id: tokenId } } }),
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['admin-user-keys', userId] }),
  });
  return (
    <>
      <ErrorAlert error={keys.error ?? revoke.error} />
      <Table<Schemas['ApiTokenDto']>
        rowKey="id"
        size="small"
        data-testid="user-keys"
        loading={keys.isLoading}
        dataSource={keys.data?.items}
        pagination={pagination(keys.data?.total)}
        scroll={{ x: 'max-content' }}
        columns={[
          ...keyColumns(t),
          { title: t('keys.lastUsed'), dataIndex: 'last_used_at', render: (v: number | null) => <Time value={v} /> },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, k) =>
              k.status === 'active' && (
                <Popconfirm title={t('users.revokeKeyConfirm')} onConfirm={() => revoke.mutate(k.id)}>
                  <Button danger size="small" loading={revoke.isPending && revoke.variables === k.id}>
                    {t('keys.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </>
  );
}
