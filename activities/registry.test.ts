// The registry's node types against the validator: the flow every installation
// starts with validates clean, and a flow drawn with an older typeVersion of a
// plugin still validates (and, in workflows/, still runs).
import { describe, expect, it } from 'vitest';
import { defaultFlow } from '../rules/default-flow';
import { validateFlow } from '../rules/validate-flow';
import { definitions, plugins } from './registry';

const known = { queues: ['general', 'escalation'], inboxes: ['demo-webchat'], faqSets: ['default'] };

describe('node-type registry', () => {
  it('has one definition per type and version, each with titles in both languages', () => {
    const keys = definitions.map((d) => `${d.type}@${d.typeVersion}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of definitions) expect(d.title.zh && d.title.en && d.description.zh && d.description.en).toBeTruthy();
    // Only nodes that do their work in an activity have a handler; waiting nodes run in the workflow.
    expect(plugins.filter((p) => p.createHandler).map((p) => p.definition.type)).toEqual(expect.arrayContaining(['set-attribute', 'reply']));
  });

  it('validates the default flow (drawn with queue version 1) clean', () => {
    const result = validateFlow(defaultFlow, { definitions, known });
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('accepts the same flow with queue version 2, and names what version 1 parameters break in it', () => {
    const upgraded = structuredClone(defaultFlow);
    const queue = upgraded.nodes.find((n) => n.id === 'queue')!;
    queue.typeVersion = 2;
    // escalationQueue and escalationPriority moved to escalate nodes in version 2.
    const issues = validateFlow(upgraded, { definitions, known }).issues;
    expect(issues.map((i) => [i.code, i.nodeId])).toEqual([['invalid-parameters', 'queue'], ['invalid-parameters', 'queue']]);
    expect(issues.map((i) => i.message.en).join(' ')).toMatch(/escalationQueue[\s\S]*escalationPriority/);
    queue.parameters = { queue: 'general', priority: 0, slaSeconds: 60, requiredSkills: ['billing'] };
    expect(validateFlow(upgraded, { definitions, known }).issues).toEqual([]);
  });
});
