import catalog from '../test/catalog.fixture.json';
import {
  kindFor,
  modelsOf,
  needsImage,
  optionsFor,
  priceOf,
  sizeLabel,
  takesImage,
  type CatalogModel,
} from './catalog';
import { playPrice, referenceChoices, videoRequest, type PlayValues } from './playground';

// The fixture is GET /api/models of a fresh Reelay with its default price table.
const models = catalog.models as CatalogModel[];
const model = (id: string) => models.find((m) => m.id === id) as CatalogModel;

describe('the model catalog', () => {
  it('lists the models of each provider', () => {
    expect(modelsOf(models, 'kie')).toEqual(['sora-2', 'sora-2-pro']);
    expect(modelsOf(models, 'viva')).toEqual(['veo3']);
  });

  it('picks the request kind the server will use, and says when an image is needed or refused', () => {
    expect(kindFor(model('kling-v1-6-std'), false)).toEqual({ kind: 'text2video' });
    expect(kindFor(model('kling-v1-6-std'), true)).toEqual({ kind: 'image2video' });
    expect(kindFor(model('kling-v1-5-std'), false)).toEqual({ error: 'needsImage' });
    expect(needsImage(model('kling-v1-5-std'))).toBe(true);
    expect(takesImage(model('sora-2'))).toBe(true);
    expect(kindFor({ ...model('sora-2'), kinds: ['text2video'], image_reference: false }, true)).toEqual({
      error: 'noImage',
    });
    expect(kindFor({ ...model('sora-2'), kinds: ['omni-video'] }, false)).toEqual({ kind: 'omni-video' });
  });

  it('prices exactly the chosen combination, decimals as the API gave them', () => {
    expect(priceOf(model('kling-v1-6-std'), 'text2video', 5, '1280x720')).toBe(72);
    expect(priceOf(model('kling-v1-6-std'), 'image2video', 10, '1280x720')).toBe(158.4);
    expect(priceOf(model('sora-2'), 'text2video', 15, '720x1280')).toBe(20);
    expect(priceOf(model('sora-2'), 'text2video', 5, '1280x720')).toBeNull();
  });

  it('keeps the seconds and size a new model also offers, else takes its defaults', () => {
    expect(optionsFor(model('sora-2-pro'), { seconds: 15, size: '1920x1080' })).toEqual({
      seconds: 15,
      size: '1920x1080',
    });
    expect(optionsFor(model('sora-2'), { seconds: 15, size: '1920x1080' })).toEqual({ seconds: 15, size: '1280x720' });
    expect(optionsFor(model('veo3'), { seconds: 15 })).toEqual({ seconds: 8, size: '1280x720' });
    expect(sizeLabel(model('veo3'), '720x1280')).toBe('720x1280 · 9:16 · 720p');
  });
});

describe('the playground request', () => {
  const base: PlayValues = {
    model: 'kling-v1-6-std',
    prompt: '  A cat on the grass ',
    seconds: 5,
    size: '1280x720',
    reference: 'none',
    credential: 'session',
  };

  it('offers no "none" for a model that needs a first frame', () => {
    expect(referenceChoices(model('kling-v1-5-std'))).toEqual(['upload', 'url']);
    expect(referenceChoices(model('veo3'))).toEqual(['none', 'upload', 'url']);
  });

  it('prices a first frame as image-to-video', () => {
    expect(playPrice(model('kling-v1-6-std'), base)).toBe(72);
    expect(playPrice(model('kling-v1-6-std'), { ...base, reference: 'url' })).toBe(79.2);
    expect(playPrice(model('kling-v1-5-std'), base)).toBeNull();
  });

  it('sends JSON with seconds as a string, and the image URL as input_reference', () => {
    expect(videoRequest(base)).toEqual({
      json: { model: 'kling-v1-6-std', prompt: 'A cat on the grass', seconds: '5', size: '1280x720' },
    });
    expect(videoRequest({ ...base, reference: 'url', image_url: ' https://img.example/a.png ' })).toEqual({
      json: {
        model: 'kling-v1-6-std',
        prompt: 'A cat on the grass',
        seconds: '5',
        size: '1280x720',
        input_reference: { image_url: 'https://img.example/a.png' },
      },
    });
  });

  it('sends an uploaded first frame as multipart input_reference', () => {
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'frame.png', { type: 'image/png' });
    const req = videoRequest({
      ...base,
      reference: 'upload',
      image_file: [{ uid: '1', name: 'frame.png', originFileObj: file as never }],
    });
    expect('form' in req).toBe(true);
    const form = (req as { form: FormData }).form;
    expect(Object.fromEntries([...form.entries()].filter(([k]) => k !== 'input_reference'))).toEqual({
      model: 'kling-v1-6-std',
      prompt: 'A cat on the grass',
      seconds: '5',
      size: '1280x720',
    });
    const sent = form.get('input_reference') as File;
    expect(sent.name).toBe('frame.png');
    expect({ type: sent.type, size: sent.size }).toEqual({ type: 'image/png', size: 4 });
  });
});
