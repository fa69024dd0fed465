import { getMetadataStorage, IsInt, IsString, Min, validateSync } from 'class-validator';
import { memoizeValidationMetadata } from '../../src/common/validation/validation-metadata-cache';

class Base {
  @IsString()
  name!: string;
}

class Child extends Base {
  @IsInt()
  @Min(1)
  count!: number;
}

class Grouped {
  @IsString({ groups: ['a'] })
  a!: string;

  @IsString({ groups: ['b'] })
  b!: string;
}

const failed = (errors: ReturnType<typeof validateSync>) => errors.map((e) => e.property).sort();

describe('memoized validation metadata', () => {
  beforeAll(() => {
    memoizeValidationMetadata();
    memoizeValidationMetadata(); // a second call changes nothing
  });

  it('validates as before: inherited rules, each class its own, groups apart', () => {
    expect(failed(validateSync(Object.assign(new Child(), { name: 5, count: 0 })))).toEqual(['count', 'name']);
    expect(failed(validateSync(Object.assign(new Child(), { name: 'x', count: 2 })))).toEqual([]);
    expect(failed(validateSync(Object.assign(new Base(), { name: 'x', count: 0 })))).toEqual([]);
    const grouped = Object.assign(new Grouped(), { a: 1, b: 2 });
    expect(failed(validateSync(grouped, { groups: ['a'] }))).toEqual(['a']);
    expect(failed(validateSync(grouped, { groups: ['b'] }))).toEqual(['b']);
  });

  it('answers each class and arguments once: the same rules again, other arguments apart', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(first.map((m) => m.propertyName).sort()).toEqual(['count', 'count', 'name']);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false, ['a'])).not.toBe(first);
    expect(storage.getTargetValidationMetadatas(Base, '', false, false)).not.toBe(first);
  });

  it('a class defined after the cache was set up has its own rules and its parent’s', () => {
    class Late extends Base {
      @IsInt()
      late!: number;
    }
    expect(failed(validateSync(Object.assign(new Late(), { name: 1, late: 'x' })))).toEqual(['late', 'name']);
  });
});
