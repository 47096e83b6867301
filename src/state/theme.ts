// Light and dark follow prefers-color-scheme unless the user picks one.
import { signal } from '@preact/signals';
import { getTheme, saveTheme } from '../storage/conversations';

export type Theme = 'system' | 'light' | 'dark';
export const theme = signal<Theme>('system');

function apply(value: Theme): void {
  if (value === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = value;
}

let chosenThisSession = false;

export async function loadTheme(): Promise<void> {
  const saved = (await getTheme()) ?? 'system';
  // A choice made while the saved one was being read wins.
  if (chosenThisSession) return;
  theme.value = saved;
  apply(saved);
}

export function setTheme(value: Theme): void {
  chosenThisSession = true;
  theme.value = value;
  apply(value);
  void saveTheme(value);
}
