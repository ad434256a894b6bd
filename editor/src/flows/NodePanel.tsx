// The selected node: what its type does, its problems, and its parameters as
// a form generated from the type's schema (rules nodes get the rule builder).
import { useMemo } from 'react';
import type { FlowNode, RulesNodeParameters } from '../../../rules/flow';
import { Button, Spinner } from '../components/Button';
import { useI18n } from '../i18n';
import type { FactsCatalog, FlowIssue, NodeTypeDefinition } from './api';
import { CategoryIcon } from './icons';
import { factDefinitions } from './rule-model';
import { RuleBuilder } from './RuleBuilder';
import { SchemaForm } from './SchemaForm';
import type { FormLookups } from './schema-form';

interface NodePanelProps {
  node: FlowNode;
  definition: NodeTypeDefinition | undefined;
  issues: FlowIssue[];
  lookups: FormLookups;
  /** Null while loading. */
  facts: FactsCatalog | null;
  onChange: (parameters: Record<string, unknown>) => void;
  onDelete: () => void;
}

const RULE_PARAMETERS = ['rules', 'defaultHandle'];

export function NodePanel({ node, definition, issues, lookups, facts, onChange, onDelete }: NodePanelProps) {
  const { lang, t } = useI18n();
  // A rules node's rules and default handle are the rule builder's; any other parameter stays in the form.
  const formSchema = useMemo(() => {
    if (!definition?.ruleHandles) return definition?.parameters;
    const properties = { ...(definition.parameters.properties as Record<string, unknown>) };
    for (const name of RULE_PARAMETERS) delete properties[name];
    if (Object.keys(properties).length === 0) return undefined;
    const required = (definition.parameters.required as string[] | undefined)?.filter((r) => !RULE_PARAMETERS.includes(r));
    return { ...definition.parameters, properties, required };
  }, [definition]);
  const rules = node.parameters as Partial<RulesNodeParameters>;
  const factList = useMemo(() => (facts ? factDefinitions(facts.facts) : []), [facts]);

  return (
    <section className="node-panel" data-testid="node-panel" aria-labelledby="node-panel-title">
      <header className="node-panel-head">
        <CategoryIcon kind={definition?.category ?? 'unknown'} />
        <div>
          <h2 id="node-panel-title">{definition?.title[lang] ?? node.type}</h2>
          <p className="muted small">
            <code>{node.id}</code> · {node.type} v{node.typeVersion}
          </p>
        </div>
      </header>
      {definition ? (
        <p className="node-panel-desc">{definition.description[lang]}</p>
      ) : (
        <p className="notice notice-error">{t('flows.node.unknownType', { type: `${node.type}@${node.typeVersion}` })}</p>
      )}
      {issues.length > 0 && (
        <ul className="node-panel-issues" aria-label={t('flows.problems.title')}>
          {issues.map((issue, i) => <li key={i}>{issue.message[lang]}</li>)}
        </ul>
      )}
      {definition?.ruleHandles && !facts && <Spinner />}
      {definition?.ruleHandles && facts && (
        <RuleBuilder
          rules={Array.isArray(rules.rules) ? rules.rules : []}
          defaultHandle={typeof rules.defaultHandle === 'string' ? rules.defaultHandle : ''}
          facts={factList}
          operators={facts.operators}
          onChange={(next) => onChange({ ...node.parameters, ...next })}
        />
      )}
      {formSchema && (
        <SchemaForm
          key={node.id}
          schema={formSchema}
          value={node.parameters}
          onChange={(next) => onChange(definition?.ruleHandles ? { ...node.parameters, ...next } : next)}
          lookups={lookups}
          idPrefix={`param-${node.id}`}
        />
      )}
      <div className="node-panel-actions">
        <Button variant="danger" data-testid="node-delete" onClick={onDelete}>
          {t('flows.node.delete')}
        </Button>
      </div>
    </section>
  );
}
