import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';

type Work = () => Promise<unknown>;

interface Registered {
  work: Work;
  running: Promise<unknown> | null;
  again: boolean;
}

// The one gate for scheduled work: every job registers here, runs only where JOBS_ENABLED is
// on, never overlaps itself in this process, and is awaited on shutdown. Jobs are triggers over
// idempotent methods that claim their work under leases, so replicas running them together
// only split the work.
@Injectable()
export class Jobs implements OnApplicationShutdown {
  private readonly jobs = new Map<string, Registered>();
  private stopped = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(Jobs.name);
  }

  get enabled(): boolean {
    return this.config.jobsEnabled;
  }

  // Runs `work` every `ms` milliseconds.
  every(name: string, ms: number, work: Work): void {
    if (!this.register(name, work)) return;
    this.scheduler.addInterval(
      name,
      setInterval(() => this.trigger(name), ms),
    );
  }

  // Runs `work` on a cron schedule (UTC).
  cron(name: string, expression: string, work: Work): void {
    if (!this.register(name, work)) return;
    const job = CronJob.from({ cronTime: expression, onTick: () => this.trigger(name), timeZone: 'UTC' });
    this.scheduler.addCronJob(name, job);
    job.start();
  }

  // Runs the job now; if it is running, once more right after (a hint that work is waiting).
  trigger(name: string): void {
    const job = this.jobs.get(name);
    if (!job || this.stopped) return;
    if (job.running) {
      job.again = true;
      return;
    }
    job.running = job
      .work()
      .catch((err: unknown) => this.logger.error({ err, job: name }, 'job failed'))
      .finally(() => {
        job.running = null;
        if (job.again) {
          job.again = false;
          this.trigger(name);
        }
      });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const name of this.jobs.keys()) {
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
      if (this.scheduler.doesExist('cron', name)) this.scheduler.deleteCronJob(name);
    }
    await Promise.all([...this.jobs.values()].map((j) => j.running ?? Promise.resolve()));
  }

  private register(name: string, work: Work): boolean {
    if (!this.config.jobsEnabled) return false;
    if (this.jobs.has(name)) throw new Error(`Job ${name} registered twice`);
    this.jobs.set(name, { work, running: null, again: false });
    return true;
  }
}
