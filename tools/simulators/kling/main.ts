import { runSimulator } from '../run-simulator';
import { startKlingSimulator } from './kling-simulator';

// `npm run sim:kling`: a Kling simulator on PORT (default 4010) with the keys of KLING_SIM_KEYS
// ("ak|sk,ak2|sk2", default "demo-ak|demo-sk"); drive it over HTTP under /__control.
runSimulator({
  name: 'Kling',
  envPrefix: 'KLING_SIM',
  defaultPort: 4010,
  defaultKeys: 'demo-ak|demo-sk',
  parseKey: (pair) => {
    const [ak, sk, ...rest] = pair.split('|');
    if (!ak || !sk || rest.length > 0) throw new Error(`KLING_SIM_KEYS entries must look like ak|sk, got "${pair}"`);
    return { ak, sk };
  },
  describeKey: (k) => k.ak,
  start: async (opts) => {
    const sim = await startKlingSimulator(opts);
    return {
      url: sim.url,
      close: () => sim.close(),
      addKeyFrom: (k: { ak: string; sk: string }) => sim.addKey(k.ak, k.sk),
    };
  },
});
