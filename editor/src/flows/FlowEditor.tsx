// One flow's editor: header (name, save state, problems, publish), palette,
// canvas, and the side panel (selected node, simulation, versions). The draft
// document with its undo history is the state; everything else is view.
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction } from '../hooks';
import { useI18n } from '../i18n';
import type { FactsCatalog, FlowDefinition, FlowDetail, FlowIssue, FlowsApi, FlowVersion, NodeTypeDefinition, Records, SimulationInput, SimulationResult } from './api';
import { Canvas } from './Canvas';
import { EditorHeader } from './EditorHeader';
import { addNode, autoLayout, copy, definitionOf, issueCounts, paste, removeElements, updateNode, type Catalog, type Clip, type NodeMarks } from './graph';
import { useFlowHistory } from './history';
import { ImportExport } from './ImportExport';
import { buildLookups } from './lookups';
import { MessageDialog } from './MessageDialog';
import { NodePanel } from './NodePanel';
import { Palette } from './Palette';
import { ProblemsList } from './ProblemsList';
import { ShortcutsHelp } from './ShortcutsHelp';
import { SimulatePanel } from './SimulatePanel';
import { stepsByNode, takenEdges } from './simulation';
import { useAutosave } from './useAutosave';
import { useCanvasState } from './useCanvasState';
import { useShortcuts } from './useShortcuts';
import { VersionsPanel, type ShownDiff } from './VersionsPanel';
import { formatDateTime } from './format';

export interface EditorData {
  detail: FlowDetail;
  catalog: Catalog;
}

/** What the editor loads after the canvas is up: the rule builder's facts, the pickers' records, the draft's problems, the versions. */
function useEditorExtras(api: FlowsApi, flowId: string, setIssues: (issues: FlowIssue[]) => void, onError: (error: unknown) => void) {
  const [facts, setFacts] = useState<FactsCatalog | null>(null);
  const [records, setRecords] = useState<Records | null>(null);
  const [versions, setVersions] = useState<FlowVersion[] | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const report = (e: unknown) => { if (!signal.aborted) onError(e); };
    api.facts(signal).then(setFacts, report);
    api.records(signal).then(setRecords, report);
    api.versions(flowId, signal).then(setVersions, report);
    api.validate(flowId).then((v) => { if (!signal.aborted) setIssues(v.issues); }, report);
    return () => controller.abort();
  }, [api, flowId, setIssues, onError]);
  return { facts, records, versions, setVersions };
}

type Side = 'node' | 'simulate' | 'versions';

const NODE_HALF = { x: 95, y: 40 };
const NO_IDS: ReadonlySet<string> = new Set();

export function FlowEditor({ api, data }: { api: FlowsApi; data: EditorData }) {
  const { lang, t } = useI18n();
  const { detail, catalog } = data;
  const flowId = detail.id;
  const history = useFlowHistory(detail.draft);
  const { flow, change } = history;
  const [issues, setIssues] = useState<FlowIssue[]>([]);
  const [error, setError] = useState<unknown>(null);
  // A save's validation is newer than the first one, whichever arrives last.
  const savedOnce = useRef(false);
  const initialIssues = useCallback((list: FlowIssue[]) => { if (!savedOnce.current) setIssues(list); }, []);
  const { facts, records, versions, setVersions } = useEditorExtras(api, flowId, initialIssues, setError);
  const autosave = useAutosave({
    api, flowId, flow, onValidation: (v) => { savedOnce.current = true; setIssues(v.issues); },
  }, { flow: detail.draft, revision: detail.draftRevision });
  const [publishedVersion, setPublishedVersion] = useState(detail.publishedVersion);
  const [side, setSide] = useState<Side>('node');
  const [sim, setSim] = useState<{ flow: FlowDefinition; result: SimulationResult } | null>(null);
  const [diff, setDiff] = useState<ShownDiff | null>(null);
  const [problemsOpen, setProblemsOpen] = useState(true);
  const [helpOpen, setHelpOpen] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const publishAction = useAction();
  const reloadAction = useAction();
  const clipboard = useRef<Clip | null>(null);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const { screenToFlowPosition, fitView } = useReactFlow();

  // What the canvas shows on nodes and edges. A simulation marks the document it ran on only.
  const simOnCanvas = sim && sim.flow === flow ? sim.result : null;
  const marks = useMemo(() => {
    const counts = issueCounts(issues);
    const steps = simOnCanvas ? stepsByNode(simOnCanvas) : new Map();
    const added = new Set(diff?.diff.nodes.added);
    const changed = new Set(diff?.diff.nodes.changed.map((c) => c.nodeId));
    const ids = new Set([...counts.keys(), ...steps.keys(), ...added, ...changed]);
    return new Map<string, NodeMarks>([...ids].map((id) => [id, {
      issues: counts.get(id) ?? 0,
      step: steps.get(id),
      diff: added.has(id) ? 'added' : changed.has(id) ? 'changed' : undefined,
    }]));
  }, [issues, simOnCanvas, diff]);
  const edgeMarks = useMemo(() => ({
    taken: simOnCanvas ? takenEdges(flow, simOnCanvas) : NO_IDS,
    issues: new Set(issues.flatMap((i) => (i.edgeId ? [i.edgeId] : []))),
  }), [flow, simOnCanvas, issues]);

  const canvas = useCanvasState({ flow, catalog, marks, edgeMarks, change });
  const selectedId = canvas.selectedNodeIds.size === 1 ? [...canvas.selectedNodeIds][0] : null;
  const selectedNode = selectedId ? flow.nodes.find((n) => n.id === selectedId) : undefined;
  const lookups = useMemo(() => buildLookups(flow, catalog, records), [flow, catalog, records]);
  const errorCount = issues.length;

  const viewportCentre = useCallback(() => {
    const rect = wrapperRef.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    const p = screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    return { x: p.x - NODE_HALF.x, y: p.y - NODE_HALF.y };
  }, [screenToFlowPosition]);

  const add = useCallback((definition: NodeTypeDefinition, at?: { x: number; y: number }) => {
    const position = at ?? viewportCentre();
    const result = addNode(flow, definition, position);
    canvas.editAndSelect(() => result.flow, new Set([result.id]));
    setSide('node');
  }, [flow, canvas, viewportCentre]);

  const focusNode = useCallback((nodeId: string) => {
    canvas.select(new Set([nodeId]));
    setSide('node');
    void fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
  }, [canvas, fitView]);

  const layout = useCallback(() => {
    const sizes = new Map(canvas.nodes.flatMap((n) => (n.measured?.width && n.measured.height ? [[n.id, { width: n.measured.width, height: n.measured.height }]] : [])));
    change((f) => autoLayout(f, sizes));
    window.requestAnimationFrame(() => void fitView({ duration: 300, padding: 0.15 }));
  }, [canvas.nodes, change, fitView]);

  useShortcuts({
    undo: history.undo,
    redo: history.redo,
    copy: () => { if (canvas.selectedNodeIds.size) clipboard.current = copy(flow, canvas.selectedNodeIds); },
    paste: () => {
      if (!clipboard.current?.nodes.length) return;
      const result = paste(flow, clipboard.current);
      clipboard.current = copy(result.flow, new Set(result.ids)); // pasting again steps further
      canvas.editAndSelect(() => result.flow, new Set(result.ids));
    },
    save: () => void autosave.flush().catch(() => undefined),
    layout,
    help: () => setHelpOpen((open) => !open),
  });

  const runSimulation = async (input: SimulationInput) => {
    await autosave.flush();
    const ranOn = flow;
    setSim({ flow: ranOn, result: await api.simulate(flowId, { ...input, language: lang }) });
  };

  const publish = (message: string) =>
    void publishAction.run('publish', async () => {
      const revision = await autosave.flush();
      const version = await api.publish(flowId, message, revision);
      setPublishedVersion(version.version);
      setVersions((list) => [version, ...(list ?? [])]);
      setPublishing(false);
      setNotice(t('flows.publish.done', { n: version.version }));
    });

  const reload = () =>
    void reloadAction.run('reload', async () => {
      const [fresh, validation] = await Promise.all([api.get(flowId), api.validate(flowId)]);
      autosave.loaded(fresh.draft, fresh.draftRevision);
      history.reset(fresh.draft);
      setIssues(validation.issues);
      setPublishedVersion(fresh.publishedVersion);
    });

  const latest = versions?.find((v) => v.version === publishedVersion);

  return (
    <div className="flow-editor">
      <EditorHeader
        name={detail.name}
        saveState={autosave.state}
        onRetrySave={() => void autosave.flush().catch(() => undefined)}
        errorCount={errorCount}
        onProblems={() => setProblemsOpen(true)}
        published={latest ?? (publishedVersion ? { version: publishedVersion, publishedBy: null, publishedAt: null, message: null, rollbackOf: null } : null)}
        canPublish={errorCount === 0 && autosave.state !== 'conflict'}
        onPublish={() => { publishAction.setError(null); setPublishing(true); }}
      />
      {autosave.state === 'conflict' && (
        <div className="notice notice-error conflict" role="alert" data-testid="conflict">
          <div className="notice-text">
            <strong>
              {t('flows.conflict.title', {
                who: autosave.conflict?.savedByName ?? autosave.conflict?.savedBy ?? t('flows.conflict.someone'),
                when: autosave.conflict?.savedAt ? formatDateTime(autosave.conflict.savedAt, lang) : '',
              })}
            </strong>
            <span className="notice-details">{t('flows.conflict.details')}</span>
          </div>
          <Button variant="primary" data-testid="conflict-reload" busy={reloadAction.busy !== null} onClick={reload}>{t('flows.conflict.reload')}</Button>
        </div>
      )}
      <ErrorNotice error={autosave.state === 'error' ? autosave.error : null} />
      <ErrorNotice error={reloadAction.error} onDismiss={() => reloadAction.setError(null)} />
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
      {notice && (
        <div className="notice notice-ok" role="status">
          <span className="notice-text">{notice}</span>
          <button type="button" className="icon-btn" onClick={() => setNotice(null)} aria-label={t('error.dismiss')}>×</button>
        </div>
      )}
      <div className="flow-editor-body">
        <Palette definitions={catalog.palette} onAdd={add} />
        <main className="flow-main">
          <div className="flow-toolbar" role="toolbar" aria-label={t('flows.tool.label')}>
            <button type="button" className="tool-btn" data-testid="undo" onClick={history.undo} disabled={!history.canUndo} title="Ctrl+Z">{t('flows.tool.undo')}</button>
            <button type="button" className="tool-btn" data-testid="redo" onClick={history.redo} disabled={!history.canRedo} title="Ctrl+Shift+Z">{t('flows.tool.redo')}</button>
            <span className="tool-sep" />
            <button type="button" className="tool-btn" data-testid="layout" onClick={layout} title="Shift+L">{t('flows.tool.layout')}</button>
            <span className="tool-sep" />
            <ImportExport flow={flow} fileName={detail.name} onImport={(doc) => change(() => doc)} onError={setError} />
            <span className="tool-spacer" />
            <ShortcutsHelp open={helpOpen} onOpenChange={setHelpOpen} />
          </div>
          <Canvas flow={flow} catalog={catalog} canvas={canvas} change={change} onAdd={add} onOpenNode={() => setSide('node')} wrapperRef={wrapperRef} />
          <ProblemsList issues={issues} open={problemsOpen} onToggle={() => setProblemsOpen((o) => !o)} onPick={(issue) => {
            const nodeId = issue.nodeId ?? issue.nodeIds?.[0];
            if (nodeId && flow.nodes.some((n) => n.id === nodeId)) focusNode(nodeId);
          }} />
        </main>
        <aside className="flow-side" aria-label={t('flows.side.label')}>
          <div className="side-tabs" role="tablist">
            <SideTab id="node" current={side} onSelect={setSide} testId="tab-node">{t('flows.side.node')}</SideTab>
            <SideTab id="simulate" current={side} onSelect={setSide} testId="simulate-open">{t('flows.side.simulate')}</SideTab>
            <SideTab id="versions" current={side} onSelect={setSide} testId="versions">{t('flows.side.versions')}</SideTab>
          </div>
          <div className="side-body" role="tabpanel" aria-labelledby={`side-tab-${side}`}>
            {side === 'node' && (selectedNode ? (
              <NodePanel
                node={selectedNode}
                definition={definitionOf(catalog, selectedNode)}
                issues={issues.filter((i) => i.nodeId === selectedNode.id || i.nodeIds?.includes(selectedNode.id))}
                lookups={lookups}
                facts={facts}
                onChange={(parameters) => change((f) => updateNode(f, selectedNode.id, parameters), `params:${selectedNode.id}`)}
                onDelete={() => change((f) => removeElements(f, new Set([selectedNode.id]), NO_IDS))}
              />
            ) : (
              <p className="side-empty muted">{canvas.selectedNodeIds.size > 1 ? t('flows.side.many', { count: canvas.selectedNodeIds.size }) : t('flows.side.none')}</p>
            ))}
            {side === 'simulate' && (
              <SimulatePanel result={sim?.result ?? null} stale={sim !== null && sim.flow !== flow} run={runSimulation} onClear={() => setSim(null)} onPickNode={focusNode} />
            )}
            {side === 'versions' && (
              <VersionsPanel
                api={api}
                flowId={flowId}
                versions={versions}
                publishedVersion={publishedVersion}
                diff={diff}
                onDiff={setDiff}
                flush={async () => { await autosave.flush(); }}
                onRolledBack={(version) => {
                  setPublishedVersion(version.version);
                  setVersions((list) => [version, ...(list ?? [])]);
                  setNotice(t('flows.versions.rolledBack', { n: version.version, of: version.rollbackOf ?? '' }));
                  reload(); // the server reset the draft to the version rolled back to
                }}
              />
            )}
          </div>
        </aside>
      </div>
      {publishing && (
        <MessageDialog
          title={t('flows.publish.title', { name: detail.name })}
          label={t('flows.publish.message')}
          confirmLabel={t('flows.publish.confirm')}
          inputTestId="publish-message"
          confirmTestId="publish-confirm"
          busy={publishAction.busy !== null}
          error={publishAction.error}
          onConfirm={publish}
          onCancel={() => setPublishing(false)}
        >
          <p className="muted small">{t('flows.publish.hint', { n: publishedVersion + 1 })}</p>
        </MessageDialog>
      )}
    </div>
  );
}

function SideTab({ id, current, onSelect, testId, children }: { id: Side; current: Side; onSelect: (side: Side) => void; testId: string; children: string }) {
  return (
    <button
      type="button"
      role="tab"
      id={`side-tab-${id}`}
      aria-selected={id === current}
      className="side-tab"
      data-testid={testId}
      onClick={() => onSelect(id)}
    >
      {children}
    </button>
  );
}
