import { runSimulator } from '../run-simulator';
import { startVivaSimulator } from './viva-simulator';

// `npm run sim:viva`: a VivaAPI simulator on PORT (default 4020) with the Bearer keys of
// VIVA_SIM_KEYS ("sk-a,sk-b", default "sk-viva-demo"); drive it over HTTP under /__control.
runSimulator({
  name: 'VivaAPI',
  envPrefix: 'VIVA_SIM',
  defaultPort: 4020,
  defaultKeys: 'sk-viva-demo',
  parseKey: (k) => k,
  describeKey: (k) => k,
  start: async (opts) => {
    const sim = await startVivaSimulator(opts);
    return { url: sim.url, close: () => sim.close(), addKeyFrom: (k: string) => sim.addKey(k) };
  },
});
