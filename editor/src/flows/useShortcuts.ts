// Editor keyboard shortcuts on the document, except while typing in a field
// (there the browser's own undo and copy apply). Delete is React Flow's.
import { useEffect, useEffectEvent } from 'react';

export interface ShortcutHandlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  save: () => void;
  layout: () => void;
  help: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useShortcuts(handlers: ShortcutHandlers): void {
  const onKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.defaultPrevented || isTyping(event.target) || document.querySelector('dialog[open]')) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    let action: (() => void) | undefined;
    if (mod && key === 'z') action = event.shiftKey ? handlers.redo : handlers.undo;
    else if (mod && key === 'y') action = handlers.redo;
    else if (mod && key === 's') action = handlers.save;
    else if (mod && key === 'c' && !window.getSelection()?.toString()) action = handlers.copy;
    else if (mod && key === 'v') action = handlers.paste;
    else if (!mod && event.shiftKey && key === 'l') action = handlers.layout;
    else if (!mod && event.key === '?') action = handlers.help;
    if (!action) return;
    event.preventDefault();
    action();
  });
  useEffect(() => {
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
