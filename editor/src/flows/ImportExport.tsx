// Export downloads the draft as JSON; import reads a JSON file and, when it is
// shaped like a flow, replaces the draft (an undoable edit; the server
// validates it on save).
import { useId, type ChangeEvent } from 'react';
import { useI18n } from '../i18n';
import type { FlowDefinition } from './api';
import { parseFlowJson } from './graph';

interface ImportExportProps {
  flow: FlowDefinition;
  fileName: string;
  onImport: (flow: FlowDefinition) => void;
  onError: (error: Error) => void;
}

export function ImportExport({ flow, fileName, onImport, onError }: ImportExportProps) {
  const { t } = useI18n();
  const id = useId();

  const exportFlow = () => {
    const blob = new Blob([`${JSON.stringify(flow, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${fileName}.flow.json`;
    a.click();
    URL.revokeObjectURL(url);
  };

  const importFlow = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // the same file can be chosen again
    if (!file) return;
    try {
      onImport(parseFlowJson(await file.text()));
    } catch (error) {
      onError(new Error(t('flows.import.invalid', { file: file.name, reason: (error as Error).message })));
    }
  };

  return (
    <>
      <button type="button" className="tool-btn" data-testid="export" onClick={exportFlow} title={t('flows.tool.exportHint')}>
        {t('flows.tool.export')}
      </button>
      {/* The label is the button people see; the input stays focusable for the keyboard. */}
      <label className="tool-btn file-btn" data-testid="import" htmlFor={id} title={t('flows.tool.importHint')}>
        {t('flows.tool.import')}
        <input id={id} type="file" accept="application/json,.json" className="visually-hidden" onChange={(e) => void importFlow(e)} />
      </label>
    </>
  );
}
