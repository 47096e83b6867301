// Focus moves that follow a closed field: they must not take the focus from
// where the user has already put it (an effect runs a frame after the render).

/** Gives `el` the focus only when nothing else has it (the closed field's focus fell to the page). */
export function returnFocus(el: HTMLElement | null | undefined): void {
  const active = document.activeElement;
  if (!active || active === document.body) el?.focus();
}
