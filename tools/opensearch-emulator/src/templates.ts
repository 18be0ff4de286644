// Composable index templates (`/_index_template/{name}`): an index created with a
// name one of the templates' patterns matches starts from that template's
// settings and mappings; the create request's own body wins. Highest `priority`
// first, as OpenSearch picks a single matching template.
import { wildcardRegExp } from './wildcard.js';

export interface IndexTemplate {
  readonly indexPatterns: readonly string[];
  readonly priority: number;
  readonly settings: Record<string, unknown>;
  readonly mappings: Record<string, unknown>;
  /** The body as it was put, returned by GET. */
  readonly body: Record<string, unknown>;
}

export function parseTemplate(body: Record<string, unknown>): IndexTemplate {
  const raw = body.index_patterns;
  const patterns = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  const template = (body.template ?? {}) as Record<string, unknown>;
  return {
    indexPatterns: patterns,
    priority: typeof body.priority === 'number' ? body.priority : 0,
    settings: (template.settings ?? {}) as Record<string, unknown>,
    mappings: (template.mappings ?? {}) as Record<string, unknown>,
    body,
  };
}

/** The template that applies to a new index `name`, if any. */
export function matchingTemplate(
  templates: ReadonlyMap<string, IndexTemplate>,
  name: string,
): IndexTemplate | undefined {
  return [...templates.values()]
    .filter((t) => t.indexPatterns.some((p) => wildcardRegExp(p).test(name)))
    .sort((a, b) => b.priority - a.priority)[0];
}

/** A create body on top of a template: settings merged, mapping properties merged, body wins. */
export function withTemplate(
  body: Record<string, unknown>,
  template: IndexTemplate | undefined,
): Record<string, unknown> {
  if (template === undefined) return body;
  const mappings = (body.mappings ?? {}) as Record<string, unknown>;
  const fromTemplate = template.mappings;
  return {
    ...body,
    settings: { ...template.settings, ...((body.settings ?? {}) as Record<string, unknown>) },
    mappings: {
      ...fromTemplate,
      ...mappings,
      properties: {
        ...((fromTemplate.properties ?? {}) as Record<string, unknown>),
        ...((mappings.properties ?? {}) as Record<string, unknown>),
      },
    },
  };
}
