import { MIGRATIONS } from '../../migrations';
import { migrate } from '../../tools/migrate/migrate';
import { startTestApp, TEST_APP_SECRET } from '../helpers/test-app';
import { createTestDatabase, TestDatabase, testDbKind } from '../helpers/test-db';

// The Kubernetes migration Job (node dist/tools/migrate/main.js): migrations run once, before the
// replicas start with MIGRATIONS_RUN=false.
describe('migration job', () => {
  let db: TestDatabase;
  const env = () => ({ NODE_ENV: 'production', DATABASE_URL: db.url, APP_SECRET: TEST_APP_SECRET });
  const allNames = () => MIGRATIONS.map((m) => m.name).sort();

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(() => db.drop());

  it('applies every pending migration, and nothing when run again; replicas then start without migrating', async () => {
    expect((await migrate(env())).sort()).toEqual(allNames());
    expect(await migrate(env())).toEqual([]);
    const t = await startTestApp({ database: db, env: { MIGRATIONS_RUN: 'false' } });
    try {
      await t.http().get('/health').expect(200);
      await t.http().post('/api/auth/login').send({ email: 'nobody@example.test', password: 'x' }).expect(401);
    } finally {
      await t.close();
    }
  });

  if (testDbKind() === 'mysql') {
    it('applies each migration exactly once when two jobs start together (the MySQL migration lock)', async () => {
      const [a, b] = await Promise.all([migrate(env()), migrate(env())]);
      expect([...a, ...b].sort()).toEqual(allNames());
    });
  }
});
