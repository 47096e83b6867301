/** Screen readers hear each completed reply once (not every token). */
export function LiveAnnouncer({ message }: { message: string }) {
  return (
    <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {message}
    </div>
  );
}
