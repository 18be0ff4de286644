// Parses YAML into plain values plus a map from each key path to its line, so
// validation errors can say file:line:key.
import { FlussoError } from '@flusso/core';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

export type Path = readonly (string | number)[];

export interface LocatedYaml {
  readonly value: unknown;
  lineOf(path: Path): number;
}

export function pathKey(path: Path): string {
  return path.map(String).join('\u0000');
}

export function parseYamlWithLines(file: string, text: string): LocatedYaml {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? 0;
    throw new FlussoError(
      'schema_invalid',
      `${file}:${line}: invalid YAML: ${first.message.split('\n')[0]}`,
      { context: { file, line } },
    );
  }
  const lines = new Map<string, number>();
  const walk = (node: Node | null | undefined, path: (string | number)[]) => {
    if (!node) return;
    if (node.range) lines.set(pathKey(path), lines.get(pathKey(path)) ?? counter.linePos(node.range[0]).line);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const keyNode = pair.key as Node | null;
        if (keyNode?.range) lines.set(pathKey([...path, key]), counter.linePos(keyNode.range[0]).line);
        walk(pair.value as Node | null, [...path, key]);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item as Node, [...path, i]);
    }
  };
  walk(doc.contents as Node | null, []);
  return {
    value: doc.toJS(),
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const line = lines.get(pathKey(path.slice(0, n)));
        if (line !== undefined) return line;
      }
      return 0;
    },
  };
}
