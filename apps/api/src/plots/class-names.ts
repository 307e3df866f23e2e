// Class names for the axes and legends of a trial's plots: the ones the evaluation artifact carries, else the
// dataset's well-known names, else the class indices.
const KNOWN: Record<string, readonly string[]> = {
  cifar10: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  fashion_mnist: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
};

/** `stored`: names the artifact carries, if any; `dataset`: the trial config's dataset name. */
export function classNames(classes: number, dataset: string | undefined, stored?: unknown): string[] {
  if (Array.isArray(stored) && stored.length === classes && stored.every((s) => typeof s === 'string')) return uniq(stored as string[]);
  const known = dataset ? KNOWN[dataset] : undefined;
  if (known && known.length === classes) return [...known];
  return Array.from({ length: classes }, (_, c) => String(c));
}

// Axis domains are keyed by name: a repeated name gets its index appended rather than merging two rows.
function uniq(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n, c) => {
    const name = seen.has(n) ? `${n} (${c})` : n;
    seen.add(name);
    return name;
  });
}
