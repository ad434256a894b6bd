// React Flow's view of the document: its nodes (with what only React Flow
// knows: selection, measured size, the position while dragging) follow the
// document; moves and deletions go back into it as edits.
import { applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FlowDefinition } from './api';
import { moveNodes, syncNodes, toEdges, type Catalog, type EdgeMarks, type EditorNode, type NodeMarks } from './graph';

interface Options {
  flow: FlowDefinition;
  catalog: Catalog;
  marks: ReadonlyMap<string, NodeMarks>;
  edgeMarks: EdgeMarks;
  change: (update: (flow: FlowDefinition) => FlowDefinition) => void;
}

export function useCanvasState({ flow, catalog, marks, edgeMarks, change }: Options) {
  const [nodes, setNodes] = useState<EditorNode[]>(() => syncNodes([], flow, catalog, marks));
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  // The selection an edit asks for (a pasted or added node), applied when the document arrives.
  const selectAfterEdit = useRef<ReadonlySet<string> | undefined>(undefined);

  useLayoutEffect(() => {
    const select = selectAfterEdit.current;
    selectAfterEdit.current = undefined;
    setNodes((prev) => syncNodes(prev, flow, catalog, marks, select));
  }, [flow, catalog, marks]);

  const edges = useMemo(() => toEdges(flow, edgeMarks, selectedEdges), [flow, edgeMarks, selectedEdges]);

  const onNodesChange = useCallback((changes: NodeChange<EditorNode>[]) => {
    // Deletions arrive through onDelete as one edit; the document removes the nodes.
    const kept = changes.filter((c) => c.type !== 'remove');
    setNodes((prev) => applyNodeChanges(kept, prev));
    const moved = new Map(kept.flatMap((c) => (c.type === 'position' && c.dragging === false && c.position ? [[c.id, c.position]] : [])));
    if (moved.size > 0) change((f) => moveNodes(f, moved));
  }, [change]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length === 0) return;
    setSelectedEdges((prev) => {
      const next = new Set(prev);
      for (const c of selects) {
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      }
      return next;
    });
  }, []);

  /** Applies an edit and selects `ids` (nodes) in its result. */
  const editAndSelect = useCallback((update: (flow: FlowDefinition) => FlowDefinition, ids: ReadonlySet<string>) => {
    selectAfterEdit.current = ids;
    setSelectedEdges(new Set());
    change(update);
  }, [change]);

  const select = useCallback((ids: ReadonlySet<string>) => {
    setSelectedEdges(new Set());
    setNodes((prev) => prev.map((n) => (Boolean(n.selected) === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) })));
  }, []);

  // Stable while the selection stays the same (a drag changes `nodes` every frame).
  const selectionKey = nodes.filter((n) => n.selected).map((n) => n.id).join('\n');
  const selectedNodeIds = useMemo<ReadonlySet<string>>(() => new Set(selectionKey ? selectionKey.split('\n') : []), [selectionKey]);

  return { nodes, edges, onNodesChange, onEdgesChange, select, editAndSelect, selectedNodeIds, selectedEdgeIds: selectedEdges };
}

export type CanvasState = ReturnType<typeof useCanvasState>;
