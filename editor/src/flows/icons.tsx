// Small stroke icons for the node categories (palette and canvas).
import type { NodeKind } from './graph';

const PATHS: Record<NodeKind, string> = {
  flow: 'M5 3l8 5-8 5z',
  messaging: 'M2 4h12v7H6l-3 3v-3H2z',
  bot: 'M4 6h8v7H4zM8 3v3M6 9h.01M10 9h.01',
  logic: 'M8 2v4M8 6l-5 4M8 6l5 4M3 10v4M13 10v4',
  routing: 'M2 8h8M7 4l4 4-4 4M13 3v10',
  data: 'M3 4c0-1 10-1 10 0v8c0 1-10 1-10 0zM3 4c0 1 10 1 10 0M3 8c0 1 10 1 10 0',
  integration: 'M6 3v3M10 3v3M4 6h8v3a4 4 0 0 1-8 0zM8 13v2',
  unknown: 'M6 6a2 2 0 1 1 3 1.7c-.6.4-1 .8-1 1.3M8 12h.01',
};

export function CategoryIcon({ kind }: { kind: NodeKind }) {
  return (
    <svg className={`cat-icon kind-${kind}`} viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d={PATHS[kind]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
