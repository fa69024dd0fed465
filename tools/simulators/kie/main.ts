import { runSimulator } from '../run-simulator';
import { startKieSimulator } from './kie-simulator';

// `npm run sim:kie`: a KIE.ai Market API (Sora 2) simulator on PORT (default 4030) with the Bearer
// keys of KIE_SIM_KEYS ("key-a,key-b", default "kie-demo-key"); drive it over HTTP under /__control.
runSimulator({
  name: 'KIE',
  envPrefix: 'KIE_SIM',
  defaultPort: 4030,
  defaultKeys: 'kie-demo-key',
  parseKey: (k) => k,
  describeKey: (k) => k,
  start: async (opts) => {
    const sim = await startKieSimulator(opts);
    return { url: sim.url, close: () => sim.close(), addKeyFrom: (k: string) => sim.addKey(k) };
  },
});
