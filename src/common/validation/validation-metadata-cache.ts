import { getMetadataStorage } from 'class-validator';

type Lookup = ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas'];
type Target = Parameters<Lookup>[0];
type Answer = ReturnType<Lookup>;

const memoized = new WeakSet<object>();

// class-validator finds a class's rules (inherited ones included) by scanning every decorated class
// of the app on each validate() (typestack/class-validator#2686): every request with a body paid
// it. A class's rules are complete once the class is defined (its ancestors are defined before
// it), so each answer is kept per class and arguments; the arrays are only read by the library.
// Hand-written: the library has no cache of its own (twenty wraps it the same way).
export function memoizeValidationMetadata(): void {
  const storage = getMetadataStorage();
  if (memoized.has(storage)) return;
  memoized.add(storage);
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const answers = new WeakMap<Target, Map<string, Answer>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strict, groups) => {
    const key = JSON.stringify([schema ?? null, always, strict, groups ?? null]);
    let byArgs = answers.get(target);
    if (!byArgs) answers.set(target, (byArgs = new Map<string, Answer>()));
    let found = byArgs.get(key);
    if (!found) byArgs.set(key, (found = lookup(target, schema, always, strict, groups)));
    return found;
  };
}
