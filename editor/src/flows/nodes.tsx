// The canvas nodes: one memoised component per node category (the palette
// groups), all drawing the same card: title in the UI language, node id, a
// target handle, one source handle per outgoing handle, and what the editor
// knows about the node (problems, the simulated step, the diff).
import { Handle, Position, useUpdateNodeInternals, type Node, type NodeProps, type NodeTypes } from '@xyflow/react';
import { memo, useEffect, useRef } from 'react';
import { useI18n } from '../i18n';
import type { SimulatedStep } from './api';
import { markClass, type NodeKind, type StepNodeData } from './graph';
import { CategoryIcon } from './icons';

type CardProps = NodeProps<Node<StepNodeData, NodeKind>> & { kind: NodeKind };

function NodeCard({ id, data, kind }: CardProps) {
  const { lang, t } = useI18n();
  const { node, definition, handles, marks } = data;
  useHandleRefresh(id, handles.map((h) => h.id).join('\n'));
  const title = definition?.title[lang] ?? node.type;
  return (
    <div
      className={`flow-node kind-${kind} ${markClass(marks)}`}
      data-testid={`node-${id}`}
      data-on-path={marks.step ? 'true' : undefined}
      data-diff={marks.diff}
      data-issues={marks.issues || undefined}
    >
      <Handle type="target" position={Position.Left} className="flow-handle flow-handle-in" />
      <div className="flow-node-head">
        <CategoryIcon kind={kind} />
        <span className="flow-node-title">{title}</span>
        {marks.issues > 0 && (
          <span className="flow-node-issues" title={t('flows.node.issues', { count: marks.issues })}>
            {marks.issues}
          </span>
        )}
      </div>
      <div className="flow-node-id">
        <code>{id}</code>
        {!definition && <span className="flow-node-unknown">{t('flows.node.unknownType', { type: `${node.type}@${node.typeVersion}` })}</span>}
      </div>
      {marks.step && <StepSummary step={marks.step} />}
      {handles.length > 0 && (
        <ul className="flow-node-handles">
          {handles.map((h) => (
            <li key={h.id}>
              <span>{typeof h.title === 'string' ? h.title : h.title[lang]}</span>
              <Handle type="source" position={Position.Right} id={h.id} className="flow-handle" />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** React Flow measures handles when a node mounts or resizes; a renamed rule handle needs telling. */
function useHandleRefresh(id: string, handleKey: string) {
  const update = useUpdateNodeInternals();
  const first = useRef(handleKey);
  useEffect(() => {
    if (handleKey !== first.current) update(id);
  }, [id, handleKey, update]);
}

const show = (v: unknown) => (typeof v === 'string' ? `“${v}”` : (JSON.stringify(v) ?? '—'));

/** What the node did in the simulation: the way out, a note, a reply, and for rules the rule that fired and why the others did not. */
function StepSummary({ step }: { step: SimulatedStep }) {
  const { lang, t } = useI18n();
  return (
    <div className="flow-node-step" data-testid="node-step">
      {step.handle ? <div className="step-handle">→ {step.handle}</div> : <div className="step-handle">{t('flows.sim.stopsHere')}</div>}
      {step.note && <div className="step-note">{step.note[lang]}</div>}
      {step.sent && <div className="step-sent">{t('flows.sim.sent', { text: step.sent })}</div>}
      {step.rules && (
        <ul className="step-rules">
          <li className="step-fired">{step.rules.fired.length ? t('steps.fired', { rules: step.rules.fired.join(', ') }) : t('steps.noneFired')}</li>
          {step.rules.rules.filter((r) => !r.fired).map((r) => {
            const f = r.failed?.[0];
            return (
              <li key={r.name} className="step-failed">
                {f
                  ? t('steps.failed', { rule: r.name, fact: f.fact, path: f.path ? f.path.replace(/^\$/, '') : '', operator: f.operator, value: show(f.value), actual: show(f.factValue) })
                  : r.name}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

const FlowNode = memo((p: NodeProps<Node<StepNodeData, 'flow'>>) => <NodeCard {...p} kind="flow" />);
const MessagingNode = memo((p: NodeProps<Node<StepNodeData, 'messaging'>>) => <NodeCard {...p} kind="messaging" />);
const BotNode = memo((p: NodeProps<Node<StepNodeData, 'bot'>>) => <NodeCard {...p} kind="bot" />);
const LogicNode = memo((p: NodeProps<Node<StepNodeData, 'logic'>>) => <NodeCard {...p} kind="logic" />);
const RoutingNode = memo((p: NodeProps<Node<StepNodeData, 'routing'>>) => <NodeCard {...p} kind="routing" />);
const DataNode = memo((p: NodeProps<Node<StepNodeData, 'data'>>) => <NodeCard {...p} kind="data" />);
const IntegrationNode = memo((p: NodeProps<Node<StepNodeData, 'integration'>>) => <NodeCard {...p} kind="integration" />);
const UnknownNode = memo((p: NodeProps<Node<StepNodeData, 'unknown'>>) => <NodeCard {...p} kind="unknown" />);

/** At module scope, so React Flow never sees a new object. */
export const nodeTypes = {
  flow: FlowNode,
  messaging: MessagingNode,
  bot: BotNode,
  logic: LogicNode,
  routing: RoutingNode,
  data: DataNode,
  integration: IntegrationNode,
  unknown: UnknownNode,
} satisfies Record<NodeKind, unknown> & NodeTypes;
