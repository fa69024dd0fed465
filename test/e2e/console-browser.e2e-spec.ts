/// <reference lib="dom" />
// Code inside page.evaluate() runs in the browser, hence the DOM types.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { KieSimulator, startKieSimulator } from '../../tools/simulators/kie/kie-simulator';
import { KlingSimulator, startKlingSimulator } from '../../tools/simulators/kling/kling-simulator';
import { ensureConsoleBuilt, ROOT } from '../helpers/console-build';
import { bearer, loginAdmin } from '../helpers/factories';
import { startTestApp, TEST_ADMIN, TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';
import { verifyBoth, WebhookReceiver } from '../helpers/webhook-receiver';

// The console in real Chromium (Debian's /usr/bin/chromium driven by playwright-core), against the
// built app, Reelay on a fresh database and the Kling and KIE simulators. The simulators' result
// URLs serve a real video (one the browser recorded), which Reelay copies into its storage: what
// the pages play and download is Reelay's stored copy.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Screenshots for the README: CONSOLE_SCREENSHOTS=docs/screenshots (npm run screenshots); elsewhere a temp dir.
const SHOTS = process.env.CONSOLE_SCREENSHOTS
  ? resolve(ROOT, process.env.CONSOLE_SCREENSHOTS)
  : mkdtempSync(join(tmpdir(), 'reelay-shots-'));
const STEP_MS = 30_000;

const USER = { email: `buyer-${Date.now()}@example.test`, password: 'buyer-password-1' };
// A 1×1 PNG: the first frame the playground uploads.
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the console in a real browser', () => {
  let t: TestApp;
  let kling: KlingSimulator;
  let kie: KieSimulator;
  let browser: Browser;
  let receiver: WebhookReceiver;
  let sampleVideo: Buffer;
  let copiedKey = '';
  const downloads = mkdtempSync(join(tmpdir(), 'reelay-downloads-'));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    mkdirSync(SHOTS, { recursive: true });
    await ensureConsoleBuilt();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    sampleVideo = await recordSampleVideo(browser);
    const media = { serve: true, fixture: sampleVideo };
    kling = await startKlingSimulator({ behavior: { processingAfterMs: 400, completeAfterMs: 2_500 }, media });
    kling.addKey('console-ak', 'console-sk');
    kie = await startKieSimulator({ behavior: { processingAfterMs: 100, completeAfterMs: 1_200 }, media });
    kie.addKey('kie-console-key');
    receiver = await new WebhookReceiver().start();
    t = await startTestApp({
      env: {
        POLL_TICK_MS: '200',
        BATCH_TIME_SCALE: '0.01',
        BATCH_TICK_MS: '50',
        MEDIA_COPY_TICK_MS: '100',
        WEBHOOK_TICK_MS: '100',
      },
    });
    // Batches run on KIE channels; the Kling channel is the one the admin adds in the browser.
    const admin = await loginAdmin(t);
    await t
      .http()
      .post('/api/admin/channels')
      .set(bearer(admin.jwt))
      .send({ name: 'kie', type: 'kie', base_url: kie.url, key: 'kie-console-key', models: ['sora-2', 'sora-2-pro'] })
      .expect(201);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await kling?.close();
    await kie?.close();
    await receiver?.close();
  });

  // A fresh browser profile.
  async function newContext(lang: 'en' | 'zh-CN', viewport = { width: 1280, height: 860 }): Promise<BrowserContext> {
    const ctx = await browser.newContext({
      baseURL: t.baseUrl,
      viewport,
      locale: lang === 'en' ? 'en-US' : 'zh-CN',
      acceptDownloads: true,
    });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    await ctx.addInitScript((l) => {
      if (!localStorage.getItem('reelay.lang')) localStorage.setItem('reelay.lang', l);
    }, lang);
    ctx.setDefaultTimeout(STEP_MS);
    return ctx;
  }

  // Clicks what starts a download and returns the saved file.
  async function download(
    page: Page,
    click: () => Promise<void>,
  ): Promise<{ name: string; path: string; body: Buffer }> {
    const [d] = await Promise.all([page.waitForEvent('download'), click()]);
    const path = join(downloads, `${Date.now()}-${d.suggestedFilename()}`);
    await d.saveAs(path);
    return { name: d.suggestedFilename(), path, body: readFileSync(path) };
  }

  // Plays a <video> muted for a moment: it must decode and advance.
  async function expectPlays(video: ReturnType<Page['getByTestId']>): Promise<void> {
    const played = await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
      await new Promise((r) => setTimeout(r, 700));
      return { currentTime: v.currentTime, error: v.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.currentTime).toBeGreaterThan(0);
  }

  async function login(page: Page, email: string, password: string, button = 'Log in'): Promise<void> {
    await page.goto('/login');
    await page.getByLabel(button === 'Log in' ? 'Email' : '邮箱').fill(email);
    await page.getByLabel(button === 'Log in' ? 'Password' : '密码').fill(password);
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }

  // Waits until no dialog or message is still fading in or out (endless spinners aside).
  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(() =>
      document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    );
  }

  // A screenshot for the README: settled, scrolled back to the top left.
  async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
    await settled(page);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      document.querySelectorAll('.ant-table-content').forEach((el) => (el.scrollLeft = 0));
    });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  }

  async function expectAccessible(page: Page, what: string): Promise<void> {
    await settled(page); // colours are read as painted
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad).toEqual([]);
  }

  // Downloads the batch ZIP from its page until it holds `videos` stored videos (each copy is made
  // just after its video succeeds), and opens it with a real ZIP reader.
  async function waitForZip(page: Page, batchId: string, videos: number) {
    for (let attempt = 0; ; attempt++) {
      const zip = await download(page, () => page.getByRole('button', { name: 'Download ZIP' }).click());
      expect(zip.name).toBe(`${batchId}.zip`);
      const path = zip.path;
      const entries = zipTool(['list', path]).toString('utf8').trim().split('\n');
      if (entries.filter((e) => e !== 'manifest.csv').length >= videos || attempt >= 20)
        return { entries, read: (entry: string) => zipTool(['read', path, entry]) };
      await page.waitForTimeout(500);
    }
  }

  it('1. the admin logs in, adds a Kling channel, tests it, and creates a user with credits', async () => {
    const ctx = await newContext('en');
    const page = await ctx.newPage();
    await login(page, TEST_ADMIN.email, TEST_ADMIN.password);

    await page.getByRole('menuitem', { name: 'Channels' }).click();
    await page.getByRole('button', { name: 'Add channel' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('Name').fill('Kling SG');
    await drawer.getByLabel('Base URL').fill(kling.url);
    await drawer.getByLabel('Access key (AK)').fill('console-ak');
    await drawer.getByLabel('Secret key (SK)').fill('console-sk');
    await drawer.getByRole('button', { name: 'Save' }).click();
    const row = page.getByRole('row', { name: /Kling SG/ });
    await row.getByText('Enabled').waitFor();
    await row.getByRole('button', { name: 'Test' }).click();
    const result = page.getByTestId('channel-test-result');
    await result.getByText('The key works').waitFor();
    await shoot(page, 'channels');
    await page.getByRole('button', { name: 'Close' }).first().click();
    await result.waitFor({ state: 'hidden' }); // axe reads colours: not while the dialog fades out
    await expectAccessible(page, 'channels');

    await page.getByRole('menuitem', { name: 'Users' }).click();
    await page.getByRole('button', { name: 'Create user' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('Email').fill(USER.email);
    await modal.getByText('Set a password now').click();
    await modal.getByLabel('Initial password').fill(USER.password);
    await modal.getByLabel('Initial credits (optional)').fill('300');
    await modal.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: USER.email }).first().waitFor();
    await expectAccessible(page, 'users');
    await ctx.close();

    const balance = await customerBalance(t, USER);
    expect(balance).toMatchObject({ balance: 300, available: 300, held: 0 });
  }, 120_000);

  it('2. the user creates a capped key (copied once) and a webhook, generates a Sora 2 video from an uploaded first frame in the playground, plays and downloads the stored copy; one hold, one capture', async () => {
    const ctx = await newContext('en');
    const page = await ctx.newPage();
    await login(page, USER.email, USER.password);
    await expectAccessible(page, 'overview');

    await page.getByRole('menuitem', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('playground');
    await page.getByRole('dialog').getByLabel('Credits per day').fill('100');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    const shown = page.getByTestId('secret-value');
    const key = await shown.inputValue();
    expect(key).toMatch(/^sk-[A-Za-z0-9]{48}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    copiedKey = await page.evaluate(() => navigator.clipboard.readText());
    expect(copiedKey).toBe(key);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('cell', { name: 'playground' }).waitFor();
    // Shown once, then gone from the page.
    await page.waitForFunction((k) => !document.documentElement.outerHTML.includes(k), key);
    await expectAccessible(page, 'keys');

    // A webhook endpoint: its signing secret is shown once.
    await page.getByRole('menuitem', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('dialog').getByLabel('URL').fill(`${receiver.url}/hooks/reelay`);
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    const whSecret = await page.getByTestId('secret-value').inputValue();
    expect(whSecret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await page.getByRole('cell', { name: /hooks\/reelay/ }).waitFor();
    await page.waitForFunction((k) => !document.documentElement.outerHTML.includes(k), whSecret);
    await expectAccessible(page, 'webhooks');

    // Any catalog model, priced before submitting: Sora 2 from an uploaded first frame, with the key.
    await page.getByRole('menuitem', { name: 'Playground' }).click();
    const price = page.getByTestId('price');
    await price.getByText('72 credits').waitFor(); // the default, kling-v1-6-std, 5 s, 1280x720
    await page.getByRole('combobox', { name: 'Model' }).click();
    await page.locator('.ant-select-item-option[title="Sora 2"]').click();
    await price.getByText('15 credits').waitFor(); // sora-2, 10 s, 1280x720
    await page.getByRole('radio', { name: 'Upload an image' }).check();
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'first-frame.png', mimeType: 'image/png', buffer: Buffer.from(PNG_1X1, 'base64') });
    await page.getByRole('radio', { name: 'An API key' }).check();
    await page.getByLabel('API key', { exact: true }).fill(copiedKey);
    await page.getByLabel('Prompt', { exact: true }).fill('A cat playing on the grass, golden hour');
    await expectAccessible(page, 'playground');
    await page.getByRole('button', { name: 'Generate for 15 credits' }).click();
    await page.getByTestId('task-status').getByText('Completed').waitFor({ timeout: 60_000 });
    const video = page.getByTestId('result-video');
    await video.waitFor();
    expect(await video.getAttribute('src')).toMatch(/^blob:/); // Reelay's copy, read with the key
    await expectPlays(video);
    const file = await download(page, () => page.getByRole('link', { name: 'Download the video' }).click());
    expect(file.name).toMatch(/^video_[A-Za-z0-9]+\.webm$/);
    expect(sha256(file.body)).toBe(sha256(sampleVideo));
    await shoot(page, 'playground', true);
    // KIE got the uploaded first frame through a signed link to Reelay's copy of it.
    const sent = kie.tasks().find((k) => k.prompt === 'A cat playing on the grass, golden hour');
    expect(sent?.image_urls).toEqual([expect.stringContaining('/media/references/')]);
    const frame = await fetch((sent as { image_urls: string[] }).image_urls[0]);
    expect(Buffer.from(await frame.arrayBuffer())).toEqual(Buffer.from(PNG_1X1, 'base64'));

    // My videos plays the stored copy through its signed link.
    await page.getByRole('menuitem', { name: 'My videos' }).click();
    const row = page.getByRole('row', { name: /sora-2/ });
    await row.getByText('Stored', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Expand row' }).click();
    const player = page.getByTestId('video-player');
    expect(await player.getAttribute('src')).toContain('/media/');
    await expectPlays(player);
    // Its timeline: submitted first, 15 credits held and charged, the end, the stored copy.
    const steps = page.getByTestId('video-timeline');
    await steps.getByTestId('timeline-stored').waitFor();
    const stepKinds = await steps
      .locator('[data-testid^="timeline-"]')
      .evaluateAll((els) => els.map((e) => e.dataset.testid));
    expect(stepKinds[0]).toBe('timeline-submitted');
    expect(stepKinds).toEqual(
      expect.arrayContaining(['timeline-credits_held', 'timeline-succeeded', 'timeline-credits_captured']),
    );
    expect(stepKinds.indexOf('timeline-succeeded')).toBeLessThan(stepKinds.indexOf('timeline-credits_captured'));
    await steps.getByText('Submitted').waitFor();
    await steps.getByText('Succeeded').waitFor();
    expect(await steps.getByTestId('timeline-credits_captured').textContent()).toContain('15');
    await expectAccessible(page, 'videos');

    // The endpoint got video.completed, signed with the secret shown once; a test event follows.
    await page.getByRole('menuitem', { name: 'Webhooks' }).click();
    await page.getByRole('button', { name: 'Send test' }).click();
    const deliveries = page.getByTestId('deliveries');
    for (const event of ['video.completed', 'webhook.test'])
      await deliveries.getByRole('row', { name: new RegExp(`${event}.*Delivered.*200`) }).waitFor();
    const completed = receiver.received.find((r) => JSON.parse(r.body).type === 'video.completed');
    expect(await verifyBoth(completed!, whSecret)).toMatchObject({ type: 'video.completed' });

    // The key's spend against its daily cap, then the ledger: one hold, one charge.
    await page.getByRole('menuitem', { name: 'API keys' }).click();
    await page
      .getByRole('row', { name: /playground/ })
      .getByText('15 / 100')
      .waitFor();
    await page.getByRole('menuitem', { name: 'Balance' }).click();
    const ledger = page.getByTestId('ledger');
    await ledger.getByText('Charge').waitFor();
    const kinds = await ledger.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(kinds.filter((k) => k === 'Hold')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'Charge')).toHaveLength(1);
    expect(await page.getByTestId('balance').textContent()).toContain('Available285');
    await ctx.close();
  }, 150_000);

  it('3. the user uploads a CSV batch (template downloaded first) and watches it live to the end', async () => {
    const ctx = await newContext('en');
    const page = await ctx.newPage();
    await login(page, USER.email, USER.password);
    await page.getByRole('menuitem', { name: 'Batches' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the CSV template' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('reelay-batch-template.csv');

    await page.getByRole('tab', { name: 'Upload a CSV' }).click();
    const csv = [
      'prompt,model,resolution,duration',
      'a red fox in snow,sora-2,720p,10',
      'waves at dusk,sora-2,720p,10',
      'city lights,,,',
    ].join('\n');
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const quote = page.getByTestId('batch-quote');
    await quote.getByText('Free: up to 5 rows per batch, 1 videos at once').waitFor();
    await quote.getByText('45 credits').waitFor(); // 3 × sora-2 720p 10 s (15)
    await expectAccessible(page, 'batches');
    await page.getByRole('button', { name: 'Create batch' }).click();
    await page.waitForURL(/\/batches\/[^/]+$/);
    await page
      .getByText(/Video #\d/)
      .first()
      .waitFor(); // live events arrive over SSE
    await page.getByTestId('batch-status').getByText('Completed').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('batch-progress').textContent()).toBe('3 / 3');
    await shoot(page, 'batch', true);

    // The ZIP: each stored video and manifest.csv (the copies are made as the videos succeed).
    const batchId = new URL(page.url()).pathname.split('/').pop() as string;
    const zip = await waitForZip(page, batchId, 3);
    expect(zip.entries.sort()).toEqual([
      '0-a-red-fox-in-snow.webm',
      '1-waves-at-dusk.webm',
      '2-city-lights.webm',
      'manifest.csv',
    ]);
    for (const e of zip.entries.filter((n) => n.endsWith('.webm')))
      expect(sha256(zip.read(e))).toBe(sha256(sampleVideo));
    const manifest = zip.read('manifest.csv').toString('utf8').trim().split(/\r?\n/);
    expect(manifest[0]).toBe('idx,prompt,model,resolution,duration,status,credits_charged,task_id,sha256,error,file');
    expect(manifest.slice(1).map((l) => l.split(',')[5])).toEqual(['succeed', 'succeed', 'succeed']);
    await ctx.close();
  }, 120_000);

  it('5. the same in zh-CN, by keyboard alone through login and the playground, and on a 360 px screen', async () => {
    const ctx = await newContext('en', { width: 360, height: 780 });
    const page = await ctx.newPage();
    await page.goto('/login');
    await page.getByText('中文').click();
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await expectAccessible(page, 'login (zh-CN)');
    // Keyboard only from here: Tab to the email field, type, Tab to the password, Enter submits.
    await tabUntil(page, (el) => el.id === 'email');
    await page.keyboard.type(USER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(USER.password);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByText('账单明细').waitFor();

    await page.goto('/playground');
    await page.getByRole('heading', { name: '在线体验' }).waitFor();
    await tabUntil(page, (el) => el.tagName === 'TEXTAREA');
    await page.keyboard.type('海边的日落，电影感');
    await page.getByTestId('price').getByText('72 积分').waitFor();
    await tabUntil(page, (el) => el.tagName === 'BUTTON' && (el.textContent ?? '').startsWith('生成'));
    await page.keyboard.press('Enter');
    await page.getByTestId('task-status').getByText('已完成').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.goto('/batches');
    await page.getByTestId('batch-rows').fill('一只在雪地里奔跑的狐狸\n黄昏的海浪');
    await page.getByTestId('batch-quote').getByText('30 积分').waitFor();
    await page.getByRole('button', { name: '创建批次' }).click();
    await page.getByTestId('batch-status').getByText('已完成').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('batch-progress').textContent()).toBe('2 / 2');
    await ctx.close();
  }, 150_000);

  // Runs last: its figures count what flows 2, 3 and 5 made.
  it("4. the admin sees the day's figures, the user's credits in the audit log, a batch's timeline; redelivers the user's webhook and revokes their key", async () => {
    const ctx = await newContext('en');
    const page = await ctx.newPage();
    await login(page, TEST_ADMIN.email, TEST_ADMIN.password);
    const charts = page.waitForResponse((r) => /dashboard-page-[^/]+\.js$/.test(r.url()));
    await page.getByRole('menuitem', { name: 'Dashboard' }).click();
    await charts; // ECharts arrives with the page, not before
    await page.getByText('Today', { exact: true }).click();
    // Flows 2, 3 and 5: two playground videos (15 + 72) and two batches (3 × 15, 2 × 15), all succeeded.
    await page.getByTestId('fig-tasks').getByText('7', { exact: true }).waitFor();
    await page.getByTestId('fig-success').getByText('100.0%').waitFor();
    await page.getByTestId('fig-credits').getByText('162', { exact: true }).waitFor();
    await page.getByTestId('fig-revenue').getByText('¥0.00').waitFor();
    await page.locator('canvas').first().waitFor();
    await page.getByText('Nothing needs attention').waitFor();
    await expectAccessible(page, 'dashboard');
    await shoot(page, 'dashboard', true);

    // Every user's videos, narrowed by the day they were made: a past range shows none, today's
    // shows the flows' videos; a detail has the operator's timeline (with the channel).
    await page.getByRole('menuitem', { name: /(^|\s)Videos$/ }).click();
    const videos = page.getByTestId('admin-videos');
    await videos
      .getByRole('row', { name: /sora-2/ })
      .first()
      .waitFor();
    // 2020-01-01 starts at 1577… seconds in every time zone.
    const pastList = page.waitForResponse((r) => /\/api\/admin\/videos\?.*created_from=1577/.test(r.url()));
    await pickDates(page, '2020-01-01', '2020-01-02');
    expect((await (await pastList).json()).total).toBe(0);
    await videos.locator('.ant-table-placeholder').waitFor();
    expect(await videos.locator('tbody tr.ant-table-row').count()).toBe(0);
    const today = new Date().toLocaleDateString('sv-SE'); // YYYY-MM-DD in the browser's (the machine's) zone
    await pickDates(page, today, today);
    const playground = videos.getByRole('row', { name: /sora-2/ }).first();
    await playground.waitFor();
    await playground.getByRole('button', { name: 'Expand row' }).click();
    const opSteps = page.getByTestId('video-timeline');
    await opSteps.getByTestId('timeline-succeeded').waitFor();
    expect(await opSteps.getByTestId('timeline-submitted').textContent()).toContain('Channel id');
    await expectAccessible(page, 'admin videos');

    // Every user's batches (flows 3 and 5); flow 3's opens with the timeline of its status changes.
    await page.getByRole('menuitem', { name: 'All batches' }).click();
    const flow3 = page.getByTestId('admin-batches').getByRole('row', { name: /Completed.*3 \/ 3/ });
    await flow3.getByRole('link').click();
    const timeline = page.getByTestId('batch-timeline');
    await timeline.getByText('3 items').waitFor();
    await timeline.getByText('Completed').waitFor();
    expect(await timeline.getByText('Succeeded').count()).toBe(3);
    await expectAccessible(page, 'admin batch');
    await fitsNarrowScreen(page);

    // The initial credits the admin gave in flow 1, in the audit trail with who gave them.
    await page.getByRole('menuitem', { name: 'Audit log' }).click();
    await page.getByRole('combobox', { name: 'Action' }).fill('credits.adjust');
    await page.keyboard.press('Escape'); // close the suggestions
    const row = page.getByTestId('audit-table').getByRole('row', { name: /credits\.adjust/ });
    await row.getByText(TEST_ADMIN.email).waitFor();
    await row.getByRole('button', { name: 'Expand row' }).click();
    await page.getByRole('row', { name: /^amount\s+—\s+300$/ }).waitFor();
    await expectAccessible(page, 'audit log');

    // The user's test event from flow 2 among every user's webhook deliveries, sent again for them.
    await page.getByRole('menuitem', { name: 'Webhook deliveries' }).click();
    await page.getByRole('heading', { name: 'Webhook deliveries' }).waitFor();
    await page.goto('/admin/webhooks?event_type=webhook.test'); // filters are deep links
    const delivery = page.getByTestId('admin-deliveries').getByRole('row', { name: /webhook\.test.*Delivered.*200/ });
    await delivery.getByText(receiver.url).first().waitFor();
    await expectAccessible(page, 'webhook deliveries');
    await fitsNarrowScreen(page);
    const sentBefore = receiver.received.length;
    await delivery.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByText('Queued again').waitFor();
    // Same event id, delivered again by the dispatcher; the page shows it delivered once more.
    const again = await waitFor(() => Promise.resolve(receiver.received[sentBefore]));
    expect(JSON.parse(again.body).type).toBe('webhook.test');
    await delivery.getByText('Delivered').waitFor();
    await page.goto('/admin/audit?action=webhook_delivery.redeliver');
    await page
      .getByTestId('audit-table')
      .getByRole('row', { name: /webhook_delivery\.redeliver/ })
      .waitFor();

    // The user's keys from the users page: the capped one from flow 2, revoked for them; it stops working.
    await page.getByRole('menuitem', { name: 'Users' }).click();
    await page
      .getByRole('row', { name: new RegExp(USER.email) })
      .getByRole('button', { name: 'Keys' })
      .click();
    const keyRow = page.getByTestId('user-keys').getByRole('row', { name: /playground/ });
    await keyRow.getByText('15 / 100').waitFor();
    await expectAccessible(page, 'user keys');
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    // The confirmation's OK sends the DELETE (a click while it is still fading in, under CI load,
    // can miss: click until the request goes), then the list refetches with the key revoked.
    const revoked = page.waitForResponse((r) => r.request().method() === 'DELETE' && /\/tokens\/\d+$/.test(r.url()));
    const ok = page.locator('.ant-popconfirm').getByRole('button', { name: 'OK' });
    await ok.click();
    const sent = await Promise.race([revoked, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
    if (!sent && (await ok.isVisible())) await ok.click();
    expect((await revoked).status()).toBe(204);
    await keyRow.getByText('Revoked').waitFor({ timeout: 60_000 });
    await t.http().get('/api/billing/balance').set(bearer(copiedKey)).expect(401);
    await ctx.close();
  }, 180_000);
});

// Info-ZIP's unzip, else Python's zipfile: lists a ZIP's entries or reads one.
function zipTool(args: ['list', string] | ['read', string, string]): Buffer {
  const [op, file, entry] = args;
  try {
    return execFileSync('unzip', op === 'list' ? ['-Z1', file] : ['-p', file, entry]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const py =
      op === 'list'
        ? "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))"
        : 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))';
    return execFileSync('python3', ['-c', py, file, ...(entry ? [entry] : [])]);
  }
}

// At 360 px wide the page scrolls only vertically (tables scroll inside their cards); back to 1280 after.
async function fitsNarrowScreen(page: Page): Promise<void> {
  const before = page.viewportSize() ?? { width: 1280, height: 860 };
  await page.setViewportSize({ width: 360, height: 780 });
  await page.waitForTimeout(300); // the layout's breakpoint listener
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.setViewportSize(before);
}

// Types a date range into the page's RangePicker (start, Enter, end, Enter), as a user would.
async function pickDates(page: Page, from: string, to: string): Promise<void> {
  const start = page.getByPlaceholder('Start date');
  await start.click();
  await start.fill(from);
  await start.press('Enter');
  const end = page.getByPlaceholder('End date');
  await end.fill(to);
  await end.press('Enter');
  await page.keyboard.press('Escape');
}

// Moves focus with Tab (at most 40 presses) until the focused element matches.
async function tabUntil(page: Page, match: (el: Element) => boolean): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluateHandle(() => document.activeElement);
    if (await hit.evaluate(match)) return;
  }
  throw new Error('keyboard focus never reached the element');
}

async function customerBalance(t: TestApp, u: { email: string; password: string }): Promise<unknown> {
  const login = await t.http().post('/api/auth/login').send(u).expect(200);
  return (await t.http().get('/api/billing/balance').set(bearer(login.body.access_token)).expect(200)).body;
}

// A one-second WebM recorded by the browser itself (canvas + MediaRecorder): the file the
// simulators' result URLs serve, so Reelay stores and the pages play a real video.
async function recordSampleVideo(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    const base64 = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const g = canvas.getContext('2d') as CanvasRenderingContext2D;
      const rec = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8' });
      const chunks: Blob[] = [];
      rec.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((r) => (rec.onstop = r));
      let frame = 0;
      const timer = setInterval(() => {
        g.fillStyle = `hsl(${(frame++ * 15) % 360} 70% 50%)`;
        g.fillRect(0, 0, 64, 64);
      }, 40);
      rec.start(100);
      await new Promise((r) => setTimeout(r, 1_200));
      rec.stop();
      await stopped;
      clearInterval(timer);
      const bytes = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    });
    return Buffer.from(base64, 'base64');
  } finally {
    await page.close();
  }
}
