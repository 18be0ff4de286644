import { describe, expect, it } from 'vitest';
import {
  layoutDocumentId,
  layoutInjectedFields,
  layoutLogicalId,
  layoutPhysicalIndex,
  layoutRouting,
  osproxyLayout,
} from './osproxy-layout.js';

describe('osproxy layout', () => {
  it('puts every logical index in the shared index with the index in the id and an injected field', () => {
    const layout = osproxyLayout();
    expect(layoutPhysicalIndex(layout, 'orders', 'acme')).toBe('osproxy-shared');
    expect(layoutDocumentId(layout, 'acme', 'orders', '7')).toBe('acme:orders:7');
    expect(layoutInjectedFields(layout.injectTemplate, 'acme', 'orders')).toEqual({
      _tenant: 'acme',
      _index_name: 'orders',
    });
    expect(layoutRouting('acme')).toBe('acme');
  });

  it('gives each logical index its own physical index with an {index} template', () => {
    const layout = osproxyLayout({ index: 'osproxy-{index}' });
    expect(layoutPhysicalIndex(layout, 'orders', 'acme')).toBe('osproxy-orders');
    expect(layoutDocumentId(layout, 'acme', 'orders', '7')).toBe('acme:7');
    expect(layoutInjectedFields(layout.injectTemplate, 'acme', 'orders')).toEqual({ _tenant: 'acme' });
    expect(layout.indexField).toBeUndefined();
  });

  it('reverses a physical id only for its own tenant and index', () => {
    const layout = osproxyLayout();
    expect(layoutLogicalId(layout, 'acme', 'orders', 'acme:orders:7')).toBe('7');
    expect(layoutLogicalId(layout, 'globex', 'orders', 'acme:orders:7')).toBeUndefined();
    expect(layoutLogicalId(layout, 'acme', 'users', 'acme:orders:7')).toBeUndefined();
  });

  it('names the injected fields as configured', () => {
    const layout = osproxyLayout({ tenantField: '_org', indexField: '_idx', idPlaceholder: '{body.sku}' });
    expect(layout.injectTemplate).toEqual({ _org: '{partition}', _idx: '{index}' });
    expect(layout.idTemplate).toBe('{partition}:{index}:{body.sku}');
    expect(layoutDocumentId(layout, 'acme', 'orders', 'x-1')).toBe('acme:orders:x-1');
  });
});
