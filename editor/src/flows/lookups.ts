// The records the parameter forms offer in their pickers: what exists
// (GET /api/v1/records) plus any name the flow already uses, so a flow that
// names a deleted queue still shows it (validation reports it).
import type { ReferenceKind } from '../../../rules/plugin';
import type { FlowDefinition, Records } from './api';
import { definitionOf, type Catalog } from './graph';
import type { FormLookups } from './schema-form';


/** Values at a JSON pointer into parameters; a pointer ending in `/*` names every item of an array. */
function valuesAt(parameters: Record<string, unknown>, pointer: string): unknown[] {
  const parts = pointer.split('/').slice(1).map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  let values: unknown[] = [parameters];
  for (const part of parts) {
    values = values.flatMap((v) => {
      if (part === '*') return Array.isArray(v) ? v : [];
      return typeof v === 'object' && v !== null && part in v ? [(v as Record<string, unknown>)[part]] : [];
    });
  }
  return values;
}

/** Every name the flow's parameters give to records of `kind`. */
export function referencedNames(flow: FlowDefinition, catalog: Catalog, kind: ReferenceKind): string[] {
  const names = flow.nodes.flatMap((node) =>
    (definitionOf(catalog, node)?.references ?? [])
      .filter((r) => r.kind === kind)
      .flatMap((r) => valuesAt(node.parameters, r.pointer)),
  );
  return [...new Set(names.filter((n): n is string => typeof n === 'string' && n !== ''))];
}

const union = (...lists: string[][]) => [...new Set(lists.flat())].sort();

export function buildLookups(flow: FlowDefinition, catalog: Catalog, records: Records | null): FormLookups {
  const named = (list: { id: string; name: string }[] | undefined, kind: ReferenceKind) => {
    const names = new Map(list?.map((r) => [r.id, r.name]));
    return union([...names.keys()], referencedNames(flow, catalog, kind)).map((id) => ({ id, name: names.get(id) ?? id }));
  };
  const skills = flow.nodes.flatMap((n) => (Array.isArray(n.parameters.requiredSkills) ? n.parameters.requiredSkills : []));
  return {
    queues: named(records?.queues, 'queue'),
    inboxes: named(records?.inboxes, 'inbox'),
    faqSets: union(records?.faqSets ?? [], referencedNames(flow, catalog, 'faqSet')),
    agents: records?.agents ?? [],
    skills: union(records?.skills ?? [], skills.filter((s): s is string => typeof s === 'string')),
  };
}
