import type { Theme } from '../state/theme';

const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function ThemeToggle({ theme, onChange }: { theme: Theme; onChange(theme: Theme): void }) {
  return (
    <button type="button" class="theme-toggle" onClick={() => onChange(NEXT[theme])} aria-label={`${LABEL[theme]} (switch)`}>
      {LABEL[theme]}
    </button>
  );
}
