import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A native modal <dialog> whose content is built when it first opens, not in the app's first
 * render (the settings and the shortcuts list are most of what that render would build and
 * never show). `open()` renders the content, then calls showModal(), so that focus goes to a
 * field of the content as it would if the content had been there all along. `open` is the same
 * function in every render (a key handler registered once may hold it).
 */
export function useLazyDialog(): { ref: { current: HTMLDialogElement | null }; built: boolean; open: () => void } {
  const ref = useRef<HTMLDialogElement>(null);
  // How many times it was asked to open; the content is built from the first.
  const [opens, setOpens] = useState(0);
  useLayoutEffect(() => {
    if (opens > 0) ref.current?.showModal();
  }, [opens]);
  const open = useRef(() => setOpens((n) => n + 1)).current;
  return { ref, built: opens > 0, open };
}
