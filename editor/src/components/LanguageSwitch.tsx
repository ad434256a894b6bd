import { useI18n, type Lang } from '../i18n';

const options: { lang: Lang; label: string; htmlLang: string }[] = [
  { lang: 'zh', label: '中文', htmlLang: 'zh-CN' },
  { lang: 'en', label: 'English', htmlLang: 'en' },
];

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="segmented" role="group" aria-label={t('lang.switch')}>
      {options.map((option) => (
        <button
          key={option.lang}
          type="button"
          lang={option.htmlLang}
          aria-pressed={lang === option.lang}
          data-testid={`lang-${option.lang}`}
          onClick={() => setLang(option.lang)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
