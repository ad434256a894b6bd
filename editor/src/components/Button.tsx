import type { ButtonHTMLAttributes } from 'react';

export function Spinner() {
  return <span className="spinner" aria-hidden="true" />;
}

interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'className'> {
  variant?: 'primary' | 'secondary' | 'danger';
  /** Shows a spinner and disables the button while its action runs. */
  busy?: boolean;
}

export function Button({ variant = 'secondary', busy = false, disabled, type = 'button', children, ...rest }: ButtonProps) {
  return (
    <button {...rest} type={type} className={`btn btn-${variant}`} disabled={disabled || busy} aria-busy={busy || undefined}>
      {busy && <Spinner />}
      {children}
    </button>
  );
}
