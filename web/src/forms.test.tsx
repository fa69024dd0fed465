import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Button, Form, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import LoginPage, { safeNext } from './pages/auth/login-page';
import RegisterPage from './pages/auth/register-page';
import { ChannelForm, channelBody, type ChannelFormValues } from './pages/admin/channel-form';
import { renderPage } from './test/render';
import { creditsAmountRules } from './lib/validation';
import type { CatalogModel } from './lib/catalog';
import catalog from './test/catalog.fixture.json';

describe('login form', () => {
  it('asks for both fields and a real email before sending anything', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    renderPage(<LoginPage />, '/login');
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(screen.getAllByText('Required')).toHaveLength(2));
    await user.type(screen.getByLabelText('Email'), 'not-an-email');
    expect(await screen.findByText('Enter an email address')).toBeInTheDocument();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('returns only to same-site paths after logging in', () => {
    expect(safeNext('/admin/channels?x=1')).toBe('/admin/channels?x=1');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('register form', () => {
  it('needs 8 characters and the same password twice', async () => {
    renderPage(<RegisterPage />, '/register');
    const user = userEvent.setup({ delay: null });
    await user.type(await screen.findByLabelText('Email'), 'dev@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.type(screen.getByLabelText('Repeat the password'), 'different');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('At least 8 characters')).toBeInTheDocument();
    expect(await screen.findByText('The two passwords differ')).toBeInTheDocument();
  });
});

function ChannelHarness({ onBody, editing = false }: { onBody: (b: unknown) => void; editing?: boolean }) {
  const [form] = Form.useForm<ChannelFormValues>();
  return (
    <>
      <ChannelForm
        form={form}
        editing={editing}
        catalog={catalog.models as CatalogModel[]}
        onFinish={(v) => onBody(channelBody(v, editing))}
      />
      <Button onClick={() => form.submit()}>submit</Button>
    </>
  );
}

describe('channel form', () => {
  it('takes a Kling key as two inputs and sends it as AK|SK', async () => {
    const onBody = vi.fn();
    renderPage(<ChannelHarness onBody={onBody} />);
    const user = userEvent.setup({ delay: null });
    await user.type(screen.getByLabelText('Name'), 'Kling SG');
    await user.type(screen.getByLabelText('Base URL'), 'http://127.0.0.1:4010');
    await user.type(screen.getByLabelText('Access key (AK)'), ' demo-ak ');
    await user.type(screen.getByLabelText('Secret key (SK)'), 'demo-sk');
    await user.click(screen.getByRole('button', { name: 'submit' }));
    await waitFor(() => expect(onBody).toHaveBeenCalled());
    expect(onBody.mock.calls[0][0]).toMatchObject({
      type: 'kling',
      name: 'Kling SG',
      base_url: 'http://127.0.0.1:4010',
      key: 'demo-ak|demo-sk',
      // The catalog's Kling models (GET /api/models), offered by default.
      models: ['kling-v1-5-std', 'kling-v1-5-pro', 'kling-v1-6-std', 'kling-v1-6-pro'],
      priority: 0,
      weight: 1,
      status: 'enabled',
    });
  });

  it('refuses a "|" inside a key part, a non-http URL and missing keys', async () => {
    const onBody = vi.fn();
    renderPage(<ChannelHarness onBody={onBody} />);
    const user = userEvent.setup({ delay: null });
    await user.type(screen.getByLabelText('Name'), 'x');
    await user.type(screen.getByLabelText('Base URL'), 'ftp://host');
    await user.type(screen.getByLabelText('Access key (AK)'), 'ab|cd');
    await user.click(screen.getByRole('button', { name: 'submit' }));
    expect(await screen.findByText('Enter an http(s) URL')).toBeInTheDocument();
    expect(await screen.findByText('4–250 characters, without spaces or "|"')).toBeInTheDocument();
    expect(await screen.findByText('Required')).toBeInTheDocument(); // the SK
    expect(onBody).not.toHaveBeenCalled();
  });

  it('asks KIE for an API key and its optional webhook key, with Sora models', async () => {
    const onBody = vi.fn();
    renderPage(<ChannelHarness onBody={onBody} />);
    const user = userEvent.setup({ delay: null });
    await user.click(screen.getByText('KIE (Sora 2)'));
    await user.type(screen.getByLabelText('Name'), 'kie');
    await user.type(screen.getByLabelText('API key'), 'kie-key');
    await user.type(screen.getByLabelText('Webhook HMAC key (optional)'), 'whk-12345678');
    await user.click(screen.getByRole('button', { name: 'submit' }));
    await waitFor(() => expect(onBody).toHaveBeenCalled());
    expect(onBody.mock.calls[0][0]).toMatchObject({
      type: 'kie',
      key: 'kie-key',
      webhook_key: 'whk-12345678',
      models: ['sora-2', 'sora-2-pro'],
    });
  });

  it('keeps the stored key when editing with the key fields empty', async () => {
    const onBody = vi.fn();
    renderPage(<ChannelHarness onBody={onBody} editing />);
    const user = userEvent.setup({ delay: null });
    await user.type(screen.getByLabelText('Name'), 'renamed');
    await user.click(screen.getByRole('button', { name: 'submit' }));
    await waitFor(() => expect(onBody).toHaveBeenCalled());
    expect(onBody.mock.calls[0][0]).toMatchObject({ name: 'renamed' });
    expect(onBody.mock.calls[0][0]).not.toHaveProperty('key');
    expect(onBody.mock.calls[0][0]).not.toHaveProperty('type');
  });
});

function CreditsHarness({ onOk }: { onOk: (v: number) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ amount: number }>();
  return (
    <Form form={form} onFinish={(v) => onOk(v.amount)}>
      <Form.Item name="amount" label="Amount" rules={creditsAmountRules(t)}>
        <InputNumber />
      </Form.Item>
      <Button htmlType="submit">go</Button>
    </Form>
  );
}

describe('credits adjustment', () => {
  it.each([
    ['', 'Required'],
    ['0', 'Must not be 0'],
    ['1.2345', 'At most 3 decimals'],
  ])('refuses %j', async (typed, message) => {
    const onOk = vi.fn();
    renderPage(<CreditsHarness onOk={onOk} />);
    const user = userEvent.setup({ delay: null });
    if (typed) await user.type(screen.getByLabelText('Amount'), typed);
    await user.click(screen.getByRole('button', { name: 'go' }));
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(onOk).not.toHaveBeenCalled();
  });

  it('accepts a negative amount with 3 decimals exactly', async () => {
    const onOk = vi.fn();
    renderPage(<CreditsHarness onOk={onOk} />);
    const user = userEvent.setup({ delay: null });
    await user.type(screen.getByLabelText('Amount'), '-405.625');
    await user.click(screen.getByRole('button', { name: 'go' }));
    await waitFor(() => expect(onOk).toHaveBeenCalledWith(-405.625));
  });
});
