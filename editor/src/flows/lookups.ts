// The records the parameter forms offer in their pickers. There is no queues
// endpoint yet, so queues are the seeded ones plus any the flow names; the
// inboxes list is for admins only, so others get the ones the flow names.
import type { ReferenceKind } from '../../../rules/plugin';
import type { FlowDefinition, Inbox } from './api';
import { definitionOf, type Catalog } from './graph';
import type { FormLookups } from './schema-form';


const SEEDED_QUEUES = ['general', 'escalation'];
const SEEDED_FAQ_SETS = ['default'];

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

export function buildLookups(flow: FlowDefinition, catalog: Catalog, inboxes: Inbox[] | null): FormLookups {
  const skills = flow.nodes.flatMap((n) => (Array.isArray(n.parameters.requiredSkills) ? n.parameters.requiredSkills : []));
  const inboxIds = union(inboxes?.map((i) => i.id) ?? [], referencedNames(flow, catalog, 'inbox'));
  const inboxName = new Map(inboxes?.map((i) => [i.id, i.name]));
  return {
    queues: union(SEEDED_QUEUES, referencedNames(flow, catalog, 'queue')).map((id) => ({ id, name: id })),
    inboxes: inboxIds.map((id) => ({ id, name: inboxName.get(id) ?? id })),
    faqSets: union(SEEDED_FAQ_SETS, referencedNames(flow, catalog, 'faqSet')),
    agents: [],
    skills: union(skills.filter((s): s is string => typeof s === 'string')),
  };
}
