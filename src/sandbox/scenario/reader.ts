/**
 * A tiny typed reader over parsed YAML that knows where it is, so every validation error is one
 * line naming the file and the field: `seed2.yaml: clusters[0].authenticationMode: must be …`.
 */
export class ScenarioError extends Error {}

type Plain = Record<string, unknown>;

export class Node {
  constructor(
    readonly value: unknown,
    readonly path: string,
    private readonly source: string,
    /** Relative dates (`-30d`) count back from here. */
    readonly now: Date,
  ) {}

  fail(message: string): never {
    throw new ScenarioError(`${this.source}: ${this.path || '(top level)'}: ${message}`);
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  field(key: string): Node {
    const object = this.object();
    return new Node(object[key], this.path ? `${this.path}.${key}` : key, this.source, this.now);
  }

  /** Rejects keys the schema does not know: a typo must not silently fall back to a default. */
  only(keys: readonly string[]): this {
    for (const key of Object.keys(this.object())) {
      if (!keys.includes(key)) this.fail(`unknown field '${key}' (expected one of: ${keys.join(', ')})`);
    }
    return this;
  }

  object(): Plain {
    if (this.value === undefined || this.value === null) return {};
    if (typeof this.value !== 'object' || Array.isArray(this.value))
      this.fail(`must be a mapping, got ${describe(this.value)}`);
    return this.value as Plain;
  }

  items(): Node[] {
    if (!this.present) return [];
    if (!Array.isArray(this.value)) this.fail(`must be a list, got ${describe(this.value)}`);
    return (this.value as unknown[]).map(
      (item, index) => new Node(item, `${this.path}[${index}]`, this.source, this.now),
    );
  }

  string(fallback?: string): string {
    if (!this.present) {
      if (fallback !== undefined) return fallback;
      this.fail('is required');
    }
    // YAML reads unquoted account ids and versions as numbers; keep their literal digits.
    if (typeof this.value === 'number') return String(this.value);
    if (typeof this.value !== 'string') this.fail(`must be a string, got ${describe(this.value)}`);
    return this.value as string;
  }

  optionalString(): string | undefined {
    return this.present ? this.string() : undefined;
  }

  oneOf<T extends string>(choices: readonly T[], fallback?: T): T {
    const value = this.string(fallback);
    if (!(choices as readonly string[]).includes(value))
      this.fail(`must be one of ${choices.join(', ')} (got "${value}")`);
    return value as T;
  }

  boolean(fallback?: boolean): boolean {
    if (!this.present) {
      if (fallback !== undefined) return fallback;
      this.fail('is required');
    }
    if (typeof this.value !== 'boolean') this.fail(`must be true or false, got ${describe(this.value)}`);
    return this.value as boolean;
  }

  optionalBoolean(): boolean | undefined {
    return this.present ? this.boolean() : undefined;
  }

  number(fallback?: number): number {
    if (!this.present) {
      if (fallback !== undefined) return fallback;
      this.fail('is required');
    }
    if (typeof this.value !== 'number' || !Number.isFinite(this.value))
      this.fail(`must be a number, got ${describe(this.value)}`);
    return this.value as number;
  }

  optionalNumber(): number | undefined {
    return this.present ? this.number() : undefined;
  }

  strings(): string[] {
    return this.items().map((item) => item.string());
  }

  /**
   * An ISO-8601 date, or one relative to now (`-30d`, `-2h`, `-15m`, `now`): CloudTrail only
   * shows the last 90 days, so scenarios that need a visible event say how long ago it was.
   */
  date(fallback: Date | string): Date {
    const text = !this.present ? fallback : this.value instanceof Date ? this.value.toISOString() : this.string();
    if (text instanceof Date) return text;
    const relative = /^(?:now|-(\d+)([dhms]))$/.exec(text);
    if (relative) {
      const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[relative[2] as 'd' | 'h' | 'm' | 's'] ?? 0;
      return new Date(this.now.getTime() - Number(relative[1] ?? 0) * unit);
    }
    const date = new Date(text);
    if (Number.isNaN(date.getTime()))
      this.fail(`must be an ISO-8601 date such as 2024-03-14T15:31:44Z, or relative such as -30d (got "${text}")`);
    return date;
  }

  stringMap(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of Object.keys(this.object())) out[key] = this.field(key).string();
    return out;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
