// The shared CLI of the simulators: PORT and <PREFIX>_HOST / <PREFIX>_KEYS from the environment,
// one line saying where it listens, a clean stop on SIGINT/SIGTERM.
export interface RunnableSimulator {
  url: string;
  close(): Promise<void>;
}

export interface SimulatorCli<K> {
  name: string;
  envPrefix: string; // KLING_SIM, VIVA_SIM, KIE_SIM
  defaultPort: number;
  defaultKeys: string;
  parseKey(entry: string): K;
  describeKey(key: K): string;
  start(opts: { port: number; host: string }): Promise<RunnableSimulator & { addKeyFrom(key: K): void }>;
}

export function runSimulator<K>(cli: SimulatorCli<K>): void {
  const main = async () => {
    const port = Number(process.env.PORT ?? cli.defaultPort);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
    const host = process.env[`${cli.envPrefix}_HOST`] ?? '127.0.0.1';
    const keys = (process.env[`${cli.envPrefix}_KEYS`] ?? cli.defaultKeys)
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '')
      .map((k) => cli.parseKey(k));
    if (keys.length === 0) throw new Error(`${cli.envPrefix}_KEYS must name at least one key`);
    const sim = await cli.start({ port, host });
    for (const k of keys) sim.addKeyFrom(k);
    process.stdout.write(
      `${cli.name} simulator listening on ${sim.url} (keys: ${keys.map((k) => cli.describeKey(k)).join(', ')})\n`,
    );
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      sim.close().then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`${cli.name} simulator failed to stop cleanly: ${String(e)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  };
  main().catch((e: unknown) => {
    process.stderr.write(`${cli.name} simulator failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
