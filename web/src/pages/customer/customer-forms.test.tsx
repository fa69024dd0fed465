import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Button, Form } from 'antd';
import type { CatalogModel } from '../../lib/catalog';
import catalog from '../../test/catalog.fixture.json';
import { renderPage } from '../../test/render';
import { CapFields, capsBody, type CapsForm } from './key-caps';
import { SpendCell } from './keys-page';
import { PlaygroundForm } from './playground-form';
import { WebhookForm, webhookBody, webhookPatch, type WebhookFormValues } from './webhook-form';

const models = catalog.models as CatalogModel[];
// antd's dropdowns animate in (pointer-events: none meanwhile), which jsdom never finishes.
const setup = () => userEvent.setup({ delay: null, pointerEventsCheck: 0 });

// Opens an antd Select by its label and clicks the option with that title or text.
async function choose(user: ReturnType<typeof setup>, label: string, option: string) {
  await user.click(screen.getByRole('combobox', { name: label }));
  const hit = await waitFor(() => {
    const el = [...document.querySelectorAll<HTMLElement>('.ant-select-item-option')].find(
      (o) => o.title === option || o.textContent === option,
    );
    if (!el) throw new Error(`no option ${option}`);
    return el;
  });
  await user.click(hit);
}

describe('playground form', () => {
  it('shows the catalog price of the default model before anything is sent', async () => {
    renderPage(<PlaygroundForm models={models} onSubmit={vi.fn()} />);
    expect(await screen.findByTestId('price')).toHaveTextContent('Price: 72 credits'); // kling-v1-6-std, 5 s, 16:9
    expect(screen.getByRole('button', { name: 'Generate for 72 credits' })).toBeEnabled();
  });

  it('re-prices on every option: seconds, size, and a first frame (image-to-video)', async () => {
    renderPage(<PlaygroundForm models={models} onSubmit={vi.fn()} />);
    const user = setup();
    const price = await screen.findByTestId('price');
    await user.click(screen.getByRole('radio', { name: '10 s' }));
    expect(price).toHaveTextContent('144 credits');
    await choose(user, 'Size', '720x720 · 1:1 · 720p');
    expect(price).toHaveTextContent('120 credits');
    await user.click(screen.getByRole('radio', { name: 'Image URL' }));
    expect(price).toHaveTextContent('132 credits');
  });

  it('takes the new model’s options when switching, with its price (Sora 2: 10 s, 15 credits)', async () => {
    renderPage(<PlaygroundForm models={models} onSubmit={vi.fn()} />);
    const user = setup();
    await choose(user, 'Model', 'Sora 2');
    expect(await screen.findByTestId('price')).toHaveTextContent('15 credits');
    expect(screen.getByRole('radio', { name: '10 s' })).toBeChecked();
    expect(screen.queryByRole('radio', { name: '5 s' })).toBeNull();
  });

  it('asks for the prompt, and for a first frame when the model needs one', async () => {
    const onSubmit = vi.fn();
    renderPage(<PlaygroundForm models={models} onSubmit={onSubmit} />);
    const user = setup();
    await choose(user, 'Model', 'Kling v1-5 (std)');
    // The form re-renders for the new model after the choice: wait for it.
    expect(await screen.findByText('This model makes videos from a first frame only')).toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: 'None' })).toBeNull();
    await waitFor(() => expect(screen.getByTestId('price')).toHaveTextContent('66 credits'));
    await user.click(screen.getByRole('button', { name: 'Generate for 66 credits' }));
    // The prompt and the image: antd validates the fields one after the other, so wait for both.
    await waitFor(() => expect(screen.getAllByText('Required')).toHaveLength(2));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses an image URL that is not http(s), and an API key that is not one', async () => {
    const onSubmit = vi.fn();
    renderPage(<PlaygroundForm models={models} onSubmit={onSubmit} />);
    const user = setup();
    await user.type(await screen.findByLabelText('Prompt'), 'A lighthouse at dawn');
    await user.click(screen.getByRole('radio', { name: 'Image URL' }));
    await user.type(screen.getByLabelText('First frame URL'), 'file:///etc/passwd');
    await user.click(screen.getByRole('radio', { name: 'An API key' }));
    await user.type(screen.getByLabelText('API key'), 'sk-short');
    await user.click(screen.getByRole('button', { name: /^Generate/ }));
    expect(await screen.findByText('Enter an http(s) URL')).toBeInTheDocument();
    expect(await screen.findByText('An API key looks like sk- followed by 48 letters and digits')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses an uploaded file that is not a JPEG, PNG or WebP image', async () => {
    const onSubmit = vi.fn();
    const { container } = renderPage(<PlaygroundForm models={models} onSubmit={onSubmit} />);
    const user = userEvent.setup({ delay: null, applyAccept: false, pointerEventsCheck: 0 });
    await user.type(await screen.findByLabelText('Prompt'), 'A lighthouse at dawn');
    await user.click(screen.getByRole('radio', { name: 'Upload an image' }));
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    await user.upload(input, new File(['%PDF'], 'x.pdf', { type: 'application/pdf' }));
    await user.click(screen.getByRole('button', { name: /^Generate/ }));
    expect(await screen.findByText('A JPEG, PNG or WebP image')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits the chosen model, prompt, seconds and size', async () => {
    const onSubmit = vi.fn();
    renderPage(<PlaygroundForm models={models} onSubmit={onSubmit} />);
    const user = setup();
    await choose(user, 'Model', 'Veo 3');
    await user.type(screen.getByLabelText('Prompt'), 'Waves at dusk');
    await user.click(screen.getByRole('button', { name: 'Generate for 15 credits' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0][0]).toMatchObject({
      model: 'veo3',
      prompt: 'Waves at dusk',
      seconds: 8,
      size: '1280x720',
      reference: 'none',
      credential: 'session',
    });
  });
});

function CapsHarness({ onOk, initial }: { onOk: (v: CapsForm) => void; initial?: CapsForm }) {
  const [form] = Form.useForm<CapsForm>();
  return (
    <Form form={form} initialValues={initial} onFinish={onOk}>
      <CapFields />
      <Button htmlType="submit">save</Button>
    </Form>
  );
}

describe('spend caps', () => {
  it.each([
    ['0', '', 'Must be more than 0'],
    ['1.2345', '', 'At most 3 decimals'],
    ['', '2000000000', 'At most 1,000,000,000'],
    ['500', '100', 'The daily cap cannot be above the monthly cap'],
  ])('refuses a day cap of %j with a month cap of %j', async (day, month, message) => {
    const onOk = vi.fn();
    renderPage(<CapsHarness onOk={onOk} />);
    const user = setup();
    if (day) await user.type(screen.getByLabelText('Credits per day'), day);
    if (month) await user.type(screen.getByLabelText('Credits per month'), month);
    await user.click(screen.getByRole('button', { name: 'save' }));
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(onOk).not.toHaveBeenCalled();
  });

  it('accepts caps with 3 decimals, and an emptied cap is removed (null) on save', async () => {
    const onOk = vi.fn();
    renderPage(<CapsHarness onOk={onOk} initial={{ credits_per_day: 50, credits_per_month: 1000 }} />);
    const user = setup();
    await user.clear(screen.getByLabelText('Credits per day'));
    await user.clear(screen.getByLabelText('Credits per month'));
    await user.type(screen.getByLabelText('Credits per month'), '405.625');
    await user.click(screen.getByRole('button', { name: 'save' }));
    await waitFor(() => expect(onOk).toHaveBeenCalled());
    expect(capsBody(onOk.mock.calls[0][0] as CapsForm)).toEqual({ credits_per_day: null, credits_per_month: 405.625 });
  });

  it("shows a key's spend against its cap exactly, or that it has none", () => {
    renderPage(
      <>
        <div data-testid="capped">
          <SpendCell spent={1234.5} cap={10000} />
        </div>
        <div data-testid="uncapped">
          <SpendCell spent={0} cap={null} />
        </div>
      </>,
    );
    expect(
      within(screen.getByTestId('capped'))
        .getByText(/1,234\.5/)
        .closest('.spend'),
    ).toHaveTextContent('1,234.5 / 10,000');
    expect(screen.getByTestId('uncapped')).toHaveTextContent('No cap');
  });
});

function WebhookHarness({ onOk }: { onOk: (v: WebhookFormValues) => void }) {
  const [form] = Form.useForm<WebhookFormValues>();
  return (
    <>
      <WebhookForm form={form} editing={false} onFinish={onOk} />
      <Button onClick={() => form.submit()}>add</Button>
    </>
  );
}

describe('webhook endpoint form', () => {
  it.each([
    ['ftp://example.com/hook', 'Enter an http(s) URL'],
    ['example.com/hook', 'Enter an http(s) URL'],
    ['https://user:pass@example.com/hook', 'Without a user name or password in the URL'],
  ])('refuses %j', async (url, message) => {
    const onOk = vi.fn();
    renderPage(<WebhookHarness onOk={onOk} />);
    const user = setup();
    await user.type(screen.getByLabelText('URL'), url);
    await user.click(screen.getByRole('button', { name: 'add' }));
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(onOk).not.toHaveBeenCalled();
  });

  it('needs at least one event', async () => {
    const onOk = vi.fn();
    renderPage(<WebhookHarness onOk={onOk} />);
    const user = setup();
    await user.type(screen.getByLabelText('URL'), 'https://example.com/hook');
    for (const name of ['Video completed', 'Video failed', 'Batch completed'])
      await user.click(screen.getByRole('checkbox', { name }));
    await user.click(screen.getByRole('button', { name: 'add' }));
    expect(await screen.findByText('Pick at least one event')).toBeInTheDocument();
    expect(onOk).not.toHaveBeenCalled();
  });

  it('sends the URL, the chosen events and the description', async () => {
    const onOk = vi.fn();
    renderPage(<WebhookHarness onOk={onOk} />);
    const user = setup();
    await user.type(screen.getByLabelText('URL'), ' https://example.com/hooks/reelay ');
    await user.click(screen.getByRole('checkbox', { name: 'Video failed' }));
    await user.type(screen.getByLabelText('Description (optional)'), 'render farm');
    await user.click(screen.getByRole('button', { name: 'add' }));
    await waitFor(() => expect(onOk).toHaveBeenCalled());
    const v = onOk.mock.calls[0][0] as WebhookFormValues;
    expect(webhookBody(v)).toEqual({
      url: 'https://example.com/hooks/reelay',
      events: ['video.completed', 'batch.completed'],
      description: 'render farm',
    });
    expect(webhookPatch({ ...v, description: '' })).toMatchObject({ description: null });
  });
});
