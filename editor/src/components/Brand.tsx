import { useI18n } from '../i18n';

/** The product name in the header, the other script's name beside it, and what this page is. */
export function Brand({ tagline }: { tagline: string }) {
  const { t, lang } = useI18n();
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true" />
      <h1>
        {t('app.name')}
        <span className="brand-sub">{lang === 'zh' ? 'Huiliu' : '汇流'}</span>
      </h1>
      <span className="brand-tagline">{tagline}</span>
    </div>
  );
}
