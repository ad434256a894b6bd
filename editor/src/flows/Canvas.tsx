// The drawing surface: React Flow over the document, with the minimap, zoom
// controls, drops from the palette and connections checked against the node
// types' handles.
import { Background, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type Edge, type IsValidConnection, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useState, type DragEvent, type RefObject } from 'react';
import { useI18n } from '../i18n';
import type { FlowDefinition, NodeTypeDefinition } from './api';
import { connect, connectionProblem, removeElements, type Catalog, type EditorNode } from './graph';
import { nodeTypes } from './nodes';
import { DRAG_TYPE } from './Palette';
import type { CanvasState } from './useCanvasState';

interface CanvasProps {
  flow: FlowDefinition;
  catalog: Catalog;
  canvas: CanvasState;
  change: (update: (flow: FlowDefinition) => FlowDefinition) => void;
  onAdd: (definition: NodeTypeDefinition, position: { x: number; y: number }) => void;
  onOpenNode: (nodeId: string) => void;
  wrapperRef: RefObject<HTMLDivElement | null>;
}

const MINIMAP_COLORS: Record<string, string> = {
  flow: '#0f766e', messaging: '#2563eb', bot: '#7c3aed', logic: '#d97706', routing: '#db2777', data: '#0891b2', integration: '#4d7c0f', unknown: '#6b7280',
};

// Where an empty flow opens: React Flow would otherwise fit the view to the
// first node dropped, zooming in on it and shifting the canvas under the
// analyst's pointer.
const EMPTY_FLOW_VIEWPORT = { x: 40, y: 40, zoom: 0.8 };

export function Canvas({ flow, catalog, canvas, change, onAdd, onOpenNode, wrapperRef }: CanvasProps) {
  const [fitOnOpen] = useState(() => flow.nodes.length > 0);
  const { t } = useI18n();
  const { screenToFlowPosition } = useReactFlow();
  const isValidConnection = useCallback<IsValidConnection>(
    (c) => connectionProblem(flow, catalog, { source: c.source, target: c.target, sourceHandle: c.sourceHandle ?? null }) === undefined,
    [flow, catalog],
  );
  const onConnect = useCallback((c: Connection) => {
    change((f) => (connectionProblem(f, catalog, c) ? f : connect(f, { source: c.source, target: c.target, sourceHandle: c.sourceHandle! })));
  }, [catalog, change]);
  const onDelete = useCallback(({ nodes, edges }: { nodes: Node[]; edges: Edge[] }) => {
    change((f) => removeElements(f, new Set(nodes.map((n) => n.id)), new Set(edges.map((e) => e.id))));
  }, [change]);

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(DRAG_TYPE);
    const definition = catalog.palette.find((d) => d.type === type);
    if (!definition) return;
    event.preventDefault();
    onAdd(definition, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };

  return (
    <div className="flow-canvas" data-testid="flow-canvas" ref={wrapperRef} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<EditorNode>
        nodes={canvas.nodes}
        edges={canvas.edges}
        nodeTypes={nodeTypes}
        onNodesChange={canvas.onNodesChange}
        onEdgesChange={canvas.onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        isValidConnection={isValidConnection}
        onNodeClick={(_, node) => onOpenNode(node.id)}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        fitView={fitOnOpen}
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        defaultViewport={EMPTY_FLOW_VIEWPORT}
        minZoom={0.05}
        maxZoom={2}
        ariaLabelConfig={{ 'node.a11yDescription.default': t('flows.canvas.a11yNode') }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable nodeColor={(n) => MINIMAP_COLORS[n.type ?? 'unknown'] ?? MINIMAP_COLORS.unknown} ariaLabel={t('flows.canvas.minimap')} />
        <Controls />
      </ReactFlow>
    </div>
  );
}
