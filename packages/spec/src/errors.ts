// Named error classes shared by every package; each carries a stable `code` and whether a retry can help.

/** Base class: `code` is stable and documented in docs/errors.md; `retryable` tells workers whether to try again. */
export class AblateError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** A name that no registry knows; the message lists the closest known names. */
export class UnknownComponentError extends AblateError {
  constructor(
    readonly family: string,
    readonly componentName: string,
    readonly known: readonly string[],
  ) {
    super('ERR_UNKNOWN_COMPONENT', unknownNameMessage(family, componentName, known));
  }
}

/** A configuration that cannot be run as given (never retried). */
export class InvalidConfigError extends AblateError {
  constructor(
    message: string,
    readonly path: string = '',
  ) {
    super('ERR_INVALID_CONFIG', path ? `${path}: ${message}` : message);
  }
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** Up to three known names close to `name` (edit distance ≤ max(2, len/3), or a shared prefix). */
export function closestNames(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const limit = Math.max(2, Math.floor(lower.length / 3));
  return known
    .map((k) => ({ k, d: editDistance(lower, k.toLowerCase()) }))
    .filter(({ k, d }) => d <= limit || (lower.length >= 3 && k.toLowerCase().startsWith(lower)))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, 3)
    .map(({ k }) => k);
}

export function unknownNameMessage(family: string, name: string, known: readonly string[]): string {
  const close = closestNames(name, known);
  const hint = close.length ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : '';
  return `Unknown ${family} '${name}'.${hint} Registered: ${known.join(', ')}.`;
}
