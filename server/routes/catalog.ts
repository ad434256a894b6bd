// What the flow editor builds its palette, forms and rule pickers from: the
// flow JSON Schema (public), the node types, and the facts and operators rules
// may use; and the unified message's JSON Schema (public). All of it is code,
// not data, so it is built once.
import { Router, type RequestHandler } from 'express';
import { definitions } from '../../activities/registry';
import { unifiedMessageSchema } from '../../activities/unified-message';
import { factsCatalog } from '../../rules/facts';
import { flowSchema } from '../../rules/flow-schema';
import { operatorCatalog } from '../../rules/operators';
import type { NodeTypeDefinition } from '../../rules/plugin';

/** Facts node types add for later rules, one entry per fact; the newest type version describes it. */
function providedFacts(defs: NodeTypeDefinition[]) {
  const byFact = new Map<string, NonNullable<NodeTypeDefinition['provides']> & { providedBy: { type: string; typeVersion: number }[] }>();
  for (const d of [...defs].sort((a, b) => b.typeVersion - a.typeVersion)) {
    if (!d.provides) continue;
    const by = { type: d.type, typeVersion: d.typeVersion };
    const entry = byFact.get(d.provides.fact);
    if (entry) entry.providedBy.push(by);
    else byFact.set(d.provides.fact, { ...d.provides, providedBy: [by] });
  }
  return [...byFact.values()];
}

export function catalogRoutes(auth: RequestHandler): Router {
  const r = Router();
  const nodeTypes = definitions.map((d) => ({ ...d, superseded: d.superseded === true }));
  const facts = { facts: [...factsCatalog, ...providedFacts(definitions)], operators: operatorCatalog };

  // Public, like any published JSON Schema: editors and CI check flow files against it.
  r.get('/schemas/flow.json', (_req, res) => {
    res.type('application/schema+json').json(flowSchema);
  });

  // Public too: what every channel's inbound message becomes (activities/unified-message.ts).
  r.get('/schemas/unified-message.json', (_req, res) => {
    res.type('application/schema+json').json(unifiedMessageSchema);
  });

  r.get('/node-types', auth, (_req, res) => {
    res.json({ nodeTypes });
  });

  r.get('/facts', auth, (_req, res) => {
    res.json(facts);
  });

  return r;
}
