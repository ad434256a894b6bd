// The keyboard shortcuts, in a popover next to the toolbar.
import { useEffect, useId, useRef } from 'react';
import { useI18n, type MessageKey } from '../i18n';

const SHORTCUTS: [keys: string, what: MessageKey][] = [
  ['Enter', 'flows.keys.add'],
  ['Delete / Backspace', 'flows.keys.delete'],
  ['Ctrl + C', 'flows.keys.copy'],
  ['Ctrl + V', 'flows.keys.paste'],
  ['Ctrl + Z', 'flows.keys.undo'],
  ['Ctrl + Shift + Z / Ctrl + Y', 'flows.keys.redo'],
  ['Ctrl + S', 'flows.keys.save'],
  ['Shift + L', 'flows.keys.layout'],
  ['← ↑ → ↓', 'flows.keys.move'],
  ['Shift + drag', 'flows.keys.boxSelect'],
  ['?', 'flows.keys.help'],
];

export function ShortcutsHelp({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useI18n();
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: KeyboardEvent | MouseEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !ref.current?.contains(event.target as Node)) onOpenChange(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('mousedown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('mousedown', close);
    };
  }, [open, onOpenChange]);

  return (
    <div className="help" ref={ref}>
      <button type="button" className="tool-btn" data-testid="shortcuts" aria-expanded={open} aria-controls={id} onClick={() => onOpenChange(!open)}>
        {t('flows.tool.shortcuts')}
      </button>
      {open && (
        <div id={id} className="help-popover" role="dialog" aria-label={t('flows.tool.shortcuts')}>
          <table>
            <tbody>
              {SHORTCUTS.map(([keys, what]) => (
                <tr key={keys}>
                  <td><kbd>{keys}</kbd></td>
                  <td>{t(what)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
