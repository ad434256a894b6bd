// The modal every ops action goes through: what it does, the action's own
// fields, and a reason that is required (it goes into the audit log).
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '../components/Button';
import { useI18n } from '../i18n';
import { OpsError } from './common';

export interface ActionDialogProps {
  title: string;
  /** What the action will do, in words. */
  intro?: string;
  confirmLabel: string;
  danger?: boolean;
  busy: boolean;
  error: unknown;
  /** False while the action's own fields (children) are incomplete. */
  valid?: boolean;
  children?: ReactNode;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/** Mounted while open; built on <dialog> (focus stays inside, Escape cancels). */
export function ActionDialog({ title, intro, confirmLabel, danger = false, busy, error, valid = true, children, onConfirm, onCancel }: ActionDialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || dialog.open) return;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
  }, []);

  const ready = reason.trim() !== '' && valid && !busy;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) onConfirm(reason.trim());
  };

  return (
    <dialog ref={ref} className="flow-dialog ops-dialog" aria-labelledby={`${id}-title`} onClose={onCancel} onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>{title}</h2>
        {intro && <p className="muted">{intro}</p>}
        {children}
        <label htmlFor={`${id}-reason`} className="field-label">{t('ops.dialog.reason')}</label>
        <textarea
          id={`${id}-reason`}
          data-testid="action-reason"
          value={reason}
          rows={2}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
          autoFocus
          required
        />
        <OpsError error={error} />
        <div className="dialog-actions">
          <Button onClick={onCancel}>{t('ops.dialog.cancel')}</Button>
          <Button type="submit" variant={danger ? 'danger' : 'primary'} data-testid="action-confirm" busy={busy} disabled={!ready}>
            {confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
