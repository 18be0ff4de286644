// The classified form of a request: its endpoint kind plus the path parts it needs.
import type { IndexName } from '@flusso/core';

export type CursorAction = 'scroll' | 'scroll_clear' | 'pit_open' | 'pit_search' | 'pit_close';

export type Route =
  | { readonly kind: 'IngestDoc'; readonly index: IndexName; readonly id?: string; readonly create: boolean }
  | { readonly kind: 'GetById'; readonly index: IndexName; readonly id: string; readonly head: boolean }
  | { readonly kind: 'DeleteById'; readonly index: IndexName; readonly id: string }
  | { readonly kind: 'UpdateById'; readonly index: IndexName; readonly id: string }
  | { readonly kind: 'IngestBulk'; readonly index?: IndexName }
  | { readonly kind: 'MultiGet'; readonly index?: IndexName }
  | { readonly kind: 'MultiSearch'; readonly index?: IndexName }
  | { readonly kind: 'Search'; readonly index: IndexName }
  | { readonly kind: 'Count'; readonly index: IndexName }
  | { readonly kind: 'DeleteByQuery'; readonly index: IndexName }
  | {
      readonly kind: 'Cursor';
      readonly action: CursorAction;
      readonly index?: IndexName;
      /** A scroll id given in the path (`/_search/scroll/{id}`). */
      readonly pathCursor?: string;
    }
  | { readonly kind: 'Admin' }
  | {
      readonly kind: 'Passthrough';
      /** Decoded path segments; the first claims a passthrough index (not yet checked). */
      readonly segments: readonly string[];
    }
  | { readonly kind: 'Unknown' };
