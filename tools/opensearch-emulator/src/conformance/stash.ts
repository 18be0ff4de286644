// The runner's stash: `set` saves response values, `$name` and `${name}` read them
// back in later requests and assertions; paths walk the last response body.

export class Stash {
  private readonly values = new Map<string, unknown>();
  /** The last response body (`$body`). */
  body: unknown = undefined;
  /** The last request and reply, for failure messages. */
  lastReply = '';

  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  private lookup(name: string): unknown {
    if (name === 'body') return this.body;
    if (!this.values.has(name)) throw new Error(`stash has no [${name}]`);
    return this.values.get(name);
  }

  /** A value with every `$name` / `${name}` replaced, recursively (keys too). */
  substitute(value: unknown): unknown {
    if (typeof value === 'string') {
      const whole = /^\$\{?([A-Za-z_][\w.]*)\}?$/.exec(value);
      if (whole && (value.startsWith('${') ? value.endsWith('}') : !value.includes('{')))
        return this.lookup(whole[1] as string);
      return value.replace(/\$\{([A-Za-z_][\w]*)\}/g, (_, name: string) => String(this.lookup(name)));
    }
    if (Array.isArray(value)) return value.map((v) => this.substitute(v));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[String(this.substitute(k))] = this.substitute(v);
      return out;
    }
    return value;
  }

  /** The value at a dotted path (`\.` escapes a dot) in the last body, or `$name.path` in the stash. */
  evaluate(path: string): unknown {
    if (path === '' || path === '$body') return this.body;
    const parts = path.split(/(?<!\\)\./).map((p) => String(this.substitute(p.replaceAll('\\.', '.'))));
    let current: unknown = this.body;
    let first = true;
    for (const part of parts) {
      if (first && part.startsWith('$')) {
        current = this.lookup(part.slice(1));
        first = false;
        continue;
      }
      first = false;
      current = step(current, part);
      if (current === undefined) return undefined;
    }
    return current;
  }
}

function step(current: unknown, part: string): unknown {
  if (Array.isArray(current)) return /^\d+$/.test(part) ? current[Number(part)] : undefined;
  if (current && typeof current === 'object') {
    const obj = current as Record<string, unknown>;
    if (part === '_arbitrary_key_') return Object.keys(obj)[0];
    return Object.hasOwn(obj, part) ? obj[part] : undefined;
  }
  return undefined;
}
