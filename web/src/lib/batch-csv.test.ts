import catalog from '../test/catalog.fixture.json';
import { batchQuote, CSV_TEMPLATE, parseBatchText, rowPrice, type BatchDefaults } from './batch-csv';
import type { CatalogModel } from './catalog';

// The catalog of a fresh Reelay (GET /api/models with the default prices).
const models = catalog.models as CatalogModel[];
const defaults: BatchDefaults = { model: 'sora-2', resolution: '720p', duration: 10 };

describe('batch rows from a CSV or pasted text', () => {
  it('reads the downloadable template without errors', () => {
    const { rows, errors } = parseBatchText(CSV_TEMPLATE, defaults, models);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        prompt: 'A red fox running through fresh snow, cinematic',
        model: 'sora-2',
        resolution: '720p',
        duration: 10,
        aspect_ratio: '16:9',
      },
      {
        prompt: 'Aerial shot of a coastline at sunset',
        model: 'sora-2-pro',
        resolution: '1080p',
        duration: 15,
        aspect_ratio: '9:16',
      },
      {
        prompt: 'A paper boat drifting on a pond',
        model: 'kling-v1-6-std',
        resolution: '720p',
        duration: 5,
        aspect_ratio: '1:1',
      },
      { prompt: 'The same scene, animated from a still', image_url: 'https://example.com/first-frame.png' },
    ]);
  });

  it('takes one prompt per line when there is no header', () => {
    const { rows, errors } = parseBatchText('a cat\n\n  a dog  \r\na bird, flying', defaults, models);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.prompt)).toEqual(['a cat', 'a dog', 'a bird, flying']);
  });

  it('names the line and the field of each problem, with what the model takes', () => {
    const csv = [
      'prompt,model,resolution,duration,colour',
      ',sora-3,720p,12,red',
      'ok,sora-2,1080p,,',
      'ok,kling-v1-6-std,,15,',
      'ok,kling-v1-5-std,,5,',
    ].join('\n');
    const { errors } = parseBatchText(csv, defaults, models);
    expect(errors.map((e) => [e.line, e.field, e.code, e.allowed?.join(' ')])).toEqual([
      [1, 'colour', 'columns', 'prompt model resolution duration aspect_ratio image_url'],
      [2, 'prompt', 'required', undefined],
      [2, 'model', 'oneOf', models.map((m) => m.id).join(' ')],
      [3, 'resolution', 'oneOf', '720p'],
      [4, 'duration', 'oneOf', '5 10'],
      [5, 'image_url', 'needsImage', undefined],
    ]);
  });

  it('refuses an image URL that is not http(s)', () => {
    const { errors } = parseBatchText('prompt,image_url\nx,ftp://host/a.png', defaults, models);
    expect(errors).toEqual([{ line: 2, field: 'image_url', code: 'url' }]);
  });
});

describe('the batch quote', () => {
  it('prices each row from the catalog with the defaults filled in, exactly', () => {
    const pro: BatchDefaults = { model: 'sora-2-pro', resolution: '1080p', duration: 15 };
    const { rows, errors } = parseBatchText('one\ntwo\nthree', pro, models);
    expect(errors).toEqual([]);
    expect(batchQuote(rows, pro, models)).toBe(390); // 3 × 130
    rows.push({ prompt: 'four', duration: 10 }); // 1080p 10 s: 100
    expect(batchQuote(rows, pro, models)).toBe(490);
  });

  it('prices a first frame as image-to-video and the aspect ratio by its size', () => {
    const kling: BatchDefaults = { model: 'kling-v1-6-std', resolution: '720p', duration: 5 };
    expect(rowPrice({ prompt: 'x' }, kling, models)).toBe(72);
    expect(rowPrice({ prompt: 'x', aspect_ratio: '1:1' }, kling, models)).toBe(60);
    expect(rowPrice({ prompt: 'x', image_url: 'https://img.example/a.png' }, kling, models)).toBe(79.2);
    expect(
      batchQuote(
        [
          { prompt: 'x', image_url: 'https://img.example/a.png' },
          { prompt: 'y', image_url: 'https://img.example/b.png' },
          { prompt: 'z' },
        ],
        kling,
        models,
      ),
    ).toBe(230.4); // 79.2 + 79.2 + 72, without binary rounding
  });

  it('has no total while a row has no price', () => {
    expect(batchQuote([{ prompt: 'x', model: 'sora-3' }], defaults, models)).toBeNull();
  });
});
