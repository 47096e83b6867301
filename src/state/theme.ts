// Light and dark follow prefers-color-scheme unless the user picks one.
import { signal } from '@preact/signals';
import { getTheme, saveTheme } from '../storage/conversations';

export type Theme = 'system' | 'light' | 'dark';
export const theme = signal<Theme>('system');

function apply(value: Theme): void {
  if (value === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = value;
}

export async function loadTheme(): Promise<void> {
  theme.value = (await getTheme()) ?? 'system';
  apply(theme.value);
}

export function setTheme(value: Theme): void {
  theme.value = value;
  apply(value);
  void saveTheme(value);
}
