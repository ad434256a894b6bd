// The activities an analyst can add, grouped by category and searchable. Drag
// one onto the canvas, or click it (or press Enter on it) to add it in the
// middle of the view.
import { useDeferredValue, useMemo, useState, type DragEvent } from 'react';
import type { NodeCategory } from '../../../rules/plugin';
import { useI18n, type MessageKey } from '../i18n';
import type { NodeTypeDefinition } from './api';
import { CategoryIcon } from './icons';

export const DRAG_TYPE = 'application/x-huiliu-node-type';

const CATEGORIES: NodeCategory[] = ['flow', 'messaging', 'bot', 'logic', 'routing', 'data', 'integration'];

export function Palette({ definitions, onAdd }: { definitions: NodeTypeDefinition[]; onAdd: (definition: NodeTypeDefinition) => void }) {
  const { lang, t } = useI18n();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim().toLowerCase());
  const groups = useMemo(() => {
    const matches = (d: NodeTypeDefinition) =>
      !deferred || [d.type, d.title.zh, d.title.en, d.description.zh, d.description.en].some((s) => s.toLowerCase().includes(deferred));
    return CATEGORIES.map((category) => ({ category, items: definitions.filter((d) => d.category === category && matches(d)) }))
      .filter((g) => g.items.length > 0);
  }, [definitions, deferred]);

  const startDrag = (event: DragEvent, d: NodeTypeDefinition) => {
    event.dataTransfer.setData(DRAG_TYPE, d.type);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <aside className="flow-palette" data-testid="palette" aria-labelledby="palette-title">
      <h2 id="palette-title" className="side-title">{t('flows.palette.title')}</h2>
      <label className="visually-hidden" htmlFor="palette-search">{t('flows.palette.search')}</label>
      <input
        id="palette-search"
        data-testid="palette-search"
        type="search"
        placeholder={t('flows.palette.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <p className="hint">{t('flows.palette.hint')}</p>
      <div className="palette-groups">
        {groups.length === 0 && <p className="muted small">{t('flows.palette.none')}</p>}
        {groups.map(({ category, items }) => (
          <section key={category} aria-labelledby={`palette-${category}`}>
            <h3 id={`palette-${category}`} className="palette-group">{t(`flows.category.${category}` as MessageKey)}</h3>
            <ul>
              {items.map((d) => (
                <li key={d.type}>
                  <button
                    type="button"
                    className="palette-item"
                    data-testid={`palette-item-${d.type}`}
                    draggable
                    onDragStart={(e) => startDrag(e, d)}
                    onClick={() => onAdd(d)}
                    title={d.description[lang]}
                  >
                    <CategoryIcon kind={d.category} />
                    <span className="palette-item-text">
                      <span className="palette-item-title">{d.title[lang]}</span>
                      <span className="palette-item-desc">{d.description[lang]}</span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </aside>
  );
}
