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
  const [built, setBuilt] = useState(false);
  const state = useRef({ built: false, opening: false });
  useLayoutEffect(() => {
    if (!built || !state.current.opening) return;
    state.current.opening = false;
    ref.current?.showModal();
  }, [built]);
  const open = useRef(() => {
    if (state.current.built) ref.current?.showModal();
    else {
      state.current.built = state.current.opening = true;
      setBuilt(true);
    }
  }).current;
  return { ref, built, open };
}
