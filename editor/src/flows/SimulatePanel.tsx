// Try the draft on a sample message: the path it takes lights up on the
// canvas, and each step says what it did.
import { useState, type FormEvent } from 'react';
import { Button } from '../components/Button';
import { ErrorNotice } from '../components/ErrorNotice';
import { useAction } from '../hooks';
import { useI18n, type MessageKey } from '../i18n';
import type { SimulationInput, SimulationResult } from './api';
import { simulationRequest, type SimulationForm } from './simulation';

const CHANNELS = ['webchat', 'wechat', 'telegram', 'whatsapp', 'sms', 'email'];

interface SimulatePanelProps {
  result: SimulationResult | null;
  /** The flow changed since the run: the canvas no longer shows its path. */
  stale: boolean;
  run: (input: SimulationInput) => Promise<void>;
  onClear: () => void;
  onPickNode: (nodeId: string) => void;
}

export function SimulatePanel({ result, stale, run, onClear, onPickNode }: SimulatePanelProps) {
  const { lang, t } = useI18n();
  const [form, setForm] = useState<SimulationForm>({ text: '', channel: 'webchat', contact: '', clock: '' });
  const action = useAction();
  const set = (patch: Partial<SimulationForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run('simulate', () => run(simulationRequest(form)));
  };

  return (
    <section className="side-section" aria-labelledby="simulate-title">
      <h2 id="simulate-title" className="side-title">{t('flows.sim.title')}</h2>
      <form className="sim-form" onSubmit={submit}>
        <label htmlFor="simulate-text" className="field-label">{t('flows.sim.text')}</label>
        <textarea id="simulate-text" data-testid="simulate-text" rows={2} required value={form.text} onChange={(e) => set({ text: e.target.value })} placeholder={t('flows.sim.textPlaceholder')} />
        <div className="sim-row">
          <div>
            <label htmlFor="simulate-channel" className="field-label">{t('flows.sim.channel')}</label>
            <select id="simulate-channel" data-testid="simulate-channel" value={form.channel} onChange={(e) => set({ channel: e.target.value })}>
              {CHANNELS.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="simulate-clock" className="field-label">{t('flows.sim.clock')}</label>
            <input id="simulate-clock" data-testid="simulate-clock" type="datetime-local" value={form.clock} onChange={(e) => set({ clock: e.target.value })} />
          </div>
        </div>
        <label htmlFor="simulate-contact" className="field-label">{t('flows.sim.contact')}</label>
        <textarea
          id="simulate-contact"
          data-testid="simulate-contact"
          rows={3}
          className="mono"
          aria-describedby="simulate-contact-hint"
          value={form.contact}
          onChange={(e) => set({ contact: e.target.value })}
          placeholder={'vip: true\ntier: "gold"'}
        />
        <p className="hint" id="simulate-contact-hint">{t('flows.sim.contactHint')}</p>
        <div className="sim-actions">
          <Button type="submit" variant="primary" data-testid="simulate-run" busy={action.busy !== null} disabled={!form.text.trim()}>
            {t('flows.sim.run')}
          </Button>
          {result && <Button onClick={onClear}>{t('flows.sim.clear')}</Button>}
        </div>
        <ErrorNotice error={action.error} onDismiss={() => action.setError(null)} />
      </form>
      {result && (
        <div className="sim-result" data-testid="simulate-result" data-reason={result.stoppedAt.reason} aria-live="polite">
          {stale && <p className="hint">{t('flows.sim.stale')}</p>}
          <p className="sim-stopped">
            <strong>{t(`flows.sim.stopped.${result.stoppedAt.reason}` as MessageKey)}</strong>
            {result.stoppedAt.nodeId && <> · <code>{result.stoppedAt.nodeId}</code></>}
            {result.stoppedAt.message && <span className="muted"> · {result.stoppedAt.message[lang]}</span>}
          </p>
          {result.replies.length > 0 && (
            <>
              <h3 className="side-subtitle">{t('flows.sim.replies')}</h3>
              <ul className="sim-replies">
                {result.replies.map((r, i) => <li key={i}>{r}</li>)}
              </ul>
            </>
          )}
          <h3 className="side-subtitle">{t('flows.sim.path', { count: result.path.length })}</h3>
          <ol className="sim-path">
            {result.path.map((step, i) => (
              <li key={i}>
                <button type="button" className="link-btn" onClick={() => onPickNode(step.nodeId)}>
                  <code>{step.nodeId}</code>
                </button>
                {step.handle && <> → <code>{step.handle}</code></>}
                {step.note && <div className="small muted">{step.note[lang]}</div>}
                {step.rules && <div className="small">{step.rules.fired.length ? t('steps.fired', { rules: step.rules.fired.join(', ') }) : t('steps.noneFired')}</div>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
