import type { FormEvent } from 'react';
import { Button } from './Button';

interface ComposerProps {
  /** Id of the input; test ids are `<id>-input` and `<id>-send`. */
  id: string;
  testId: string;
  label: string;
  placeholder: string;
  sendLabel: string;
  value: string;
  onChange: (value: string) => void;
  onSubmit: (event: FormEvent) => void;
  busy?: boolean;
  /** Also disabled while the text is blank. */
  disabled?: boolean;
}

/** The message box at the bottom of a chat: a labelled input and a send button. */
export function Composer(props: ComposerProps) {
  return (
    <form className="composer" onSubmit={props.onSubmit}>
      <label htmlFor={props.id} className="visually-hidden">
        {props.label}
      </label>
      <input
        id={props.id}
        data-testid={`${props.testId}-input`}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        placeholder={props.placeholder}
        autoComplete="off"
      />
      <Button
        type="submit"
        variant="primary"
        data-testid={`${props.testId}-send`}
        busy={props.busy}
        disabled={!props.value.trim() || props.disabled}
      >
        {props.sendLabel}
      </Button>
    </form>
  );
}
