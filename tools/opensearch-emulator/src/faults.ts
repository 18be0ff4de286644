// Faults a test can set on a running emulator, and the log of what reached it.
export interface ItemRejection {
  readonly status: number;
  readonly type: string;
  readonly reason?: string;
}

export class Faults {
  private refusing = false;
  /** Set by the server: close or reopen the listening socket. */
  onRefuseChange: (refuse: boolean) => void = () => undefined;

  /** While true the port is closed, so clients get ECONNREFUSED like a dead node. */
  get refuseConnections(): boolean {
    return this.refusing;
  }

  set refuseConnections(refuse: boolean) {
    if (refuse === this.refusing) return;
    this.refusing = refuse;
    this.onRefuseChange(refuse);
  }
  /** Delay every response by this many ms. */
  delayMs = 0;
  private failures: { count: number; status: number; pathPrefix: string | undefined }[] = [];
  /** Per-item rejection for bulk/doc writes, by logical target. */
  rejectItem: ((index: string, id: string) => ItemRejection | null) | null = null;

  /** Answer the next `count` requests (optionally only under `pathPrefix`) with `status`. */
  failNext(count: number, status: number, pathPrefix?: string): void {
    this.failures.push({ count, status, pathPrefix });
  }

  /** The injected status for this request, if one is due. */
  takeFailure(path: string): number | null {
    const f = this.failures.find(
      (x) => x.count > 0 && (x.pathPrefix === undefined || path.startsWith(x.pathPrefix)),
    );
    if (!f) return null;
    f.count -= 1;
    return f.status;
  }

  clear(): void {
    this.refuseConnections = false;
    this.delayMs = 0;
    this.failures = [];
    this.rejectItem = null;
  }
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: string;
}
