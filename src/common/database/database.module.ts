import {
  BeforeApplicationShutdown,
  Global,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { Db } from './db.service';
import { runMigrations } from './run-migrations';
import { SqliteCheckpointer } from './sqlite-checkpointer';

// Brings the schema up to date before any other module's start-up hook touches it.
@Injectable()
export class MigrationsOnBoot implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.migrationsRun) await runMigrations(this.dataSource);
  }
}

// SQLite on a file: the WAL is copied into the database by a worker thread, off the event loop
// (sqlite-checkpointer.ts); stopped before the data source closes.
@Injectable()
export class SqliteCheckpoints implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private checkpointer: SqliteCheckpointer | null = null;

  constructor(
    private readonly db: Db,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SqliteCheckpoints.name);
  }

  onApplicationBootstrap(): void {
    const db = this.config.database;
    const main = this.db.sqliteConnection();
    if (!main || db.type !== 'sqlite' || db.path === ':memory:' || this.config.sqliteCheckpointMs === 0) return;
    this.checkpointer = new SqliteCheckpointer(main, db.path, this.config.sqliteCheckpointMs, {
      failed: (message) => this.logger.warn({ err: message }, 'SQLite checkpoint failed; tried again'),
      stopped: (err) =>
        this.logger.error({ err: err.message }, 'SQLite checkpoint worker stopped; commits checkpoint again'),
    });
    this.checkpointer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.checkpointer?.stop();
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        autoLoadEntities: true,
        retryAttempts: 5,
        retryDelay: 2000,
      }),
    }),
  ],
  providers: [Db, MigrationsOnBoot, SqliteCheckpoints],
  exports: [Db],
})
export class DatabaseModule {}
