import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectErrorShape } from '../helpers/error-shape';
import { startTestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

// Its own file: nestjs-pino's logger is process-wide, so a second app in one suite logs elsewhere.
describe('without a console build', () => {
  it('runs the API as before and answers / with a JSON 404', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'reelay-no-console-'));
    const t = await startTestApp({ env: { CONSOLE_DIR: empty } });
    try {
      expectErrorShape((await t.http().get('/').expect(404)).body, 'route_not_found');
      await t.http().get('/health').expect(200);
      await waitFor(() => Promise.resolve(t.logs.text().includes('No console build in')), 5_000);
    } finally {
      await t.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
