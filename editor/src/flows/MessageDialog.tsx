// A modal that asks for one line of text (a publish or rollback message),
// built on <dialog>: focus stays inside, Escape cancels.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useI18n } from '../i18n';

interface MessageDialogProps {
  title: string;
  label: string;
  confirmLabel: string;
  inputTestId: string;
  confirmTestId: string;
  initial?: string;
  busy: boolean;
  error: unknown;
  children?: ReactNode;
  onConfirm: (message: string) => void;
  onCancel: () => void;
}

/** Mounted while open. */
export function MessageDialog({ title, label, confirmLabel, inputTestId, confirmTestId, initial = '', busy, error, children, onConfirm, onCancel }: MessageDialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [message, setMessage] = useState(initial);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (message.trim()) onConfirm(message.trim());
  };

  return (
    <dialog ref={ref} className="flow-dialog" aria-labelledby={`${id}-title`} onClose={onCancel}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        <label htmlFor={`${id}-message`} className="field-label">{label}</label>
        <input
          id={`${id}-message`}
          data-testid={inputTestId}
          value={message}
          maxLength={500}
          onChange={(e) => setMessage(e.target.value)}
          autoFocus
          required
        />
        <ErrorNotice error={error} />
        <div className="dialog-actions">
          <Button onClick={onCancel}>{t('flows.cancel')}</Button>
          <Button type="submit" variant="primary" data-testid={confirmTestId} busy={busy} disabled={!message.trim()}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
