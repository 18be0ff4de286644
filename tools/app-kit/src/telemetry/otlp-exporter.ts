// A small OTLP/HTTP (JSON) trace exporter: spans are buffered (bounded; the
// oldest are dropped first) and POSTed to `{endpoint}/v1/traces` every interval.
// Export failures are reported once per failure streak and never reach the
// pipeline. Attributes are shape only: names, ids, counts, never values.

export type SpanAttributes = Readonly<Record<string, string | number>>;

export interface FinishedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly attributes: SpanAttributes;
  readonly error?: boolean;
  /** The parent span (another process's, for a continued W3C trace). */
  readonly parentSpanId?: string;
  /** OTLP span kind: 1 internal (default), 2 server, 3 client. */
  readonly kind?: 1 | 2 | 3;
}

export interface OtlpExporterOptions {
  /** The collector's base URL; spans go to `{endpoint}/v1/traces`. */
  readonly endpoint?: string;
  /** The full traces URL, used as given (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`); wins over `endpoint`. */
  readonly tracesUrl?: string;
  /** `service.name` and the scope name of every span. */
  readonly serviceName?: string;
  readonly intervalMs?: number;
  readonly maxBuffered?: number;
  readonly onExportError?: (message: string) => void;
}

const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString();

function attribute(key: string, value: string | number) {
  return {
    key,
    value: typeof value === 'number' ? { intValue: String(Math.round(value)) } : { stringValue: value },
  };
}

/** The OTLP JSON body for `spans`. */
export function otlpBody(spans: readonly FinishedSpan[], serviceName = 'flusso'): unknown {
  return {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', serviceName)] },
        scopeSpans: [
          {
            scope: { name: serviceName },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parentSpanId === undefined ? {} : { parentSpanId: s.parentSpanId }),
              name: s.name,
              kind: s.kind ?? 1,
              startTimeUnixNano: nanos(s.startMs),
              endTimeUnixNano: nanos(Math.max(s.startMs, s.endMs)),
              attributes: Object.entries(s.attributes).map(([k, v]) => attribute(k, v)),
              status: { code: s.error ? 2 : 1 },
            })),
          },
        ],
      },
    ],
  };
}

export class OtlpExporter {
  private buffer: FinishedSpan[] = [];
  private readonly timer: NodeJS.Timeout;
  private failing = false;
  private sending: Promise<void> = Promise.resolve();
  private readonly url: URL;

  constructor(private readonly o: OtlpExporterOptions) {
    const base = o.endpoint ?? 'http://127.0.0.1:4318';
    this.url = new URL(o.tracesUrl ?? new URL('v1/traces', base.replace(/\/?$/, '/')).href);
    this.timer = setInterval(() => void this.flush(), o.intervalMs ?? 2_000);
    this.timer.unref();
  }

  add(span: FinishedSpan): void {
    this.buffer.push(span);
    const max = this.o.maxBuffered ?? 2_048;
    if (this.buffer.length > max) this.buffer.splice(0, this.buffer.length - max);
  }

  /** Send what is buffered now (one request at a time). */
  flush(): Promise<void> {
    this.sending = this.sending.then(() => this.send());
    return this.sending;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async send(): Promise<void> {
    if (this.buffer.length === 0) return;
    const spans = this.buffer;
    this.buffer = [];
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpBody(spans, this.o.serviceName)),
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`collector answered ${res.status}`);
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.o.onExportError?.(error instanceof Error ? error.message : String(error));
      this.failing = true;
    }
  }
}
