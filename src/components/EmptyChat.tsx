// What a chat without messages shows: what the app is, and prompts to start
// with. Its own small module, so an empty chat (every first visit) does not
// wait for the message list and its renderer (marked, DOMPurify).

const EXAMPLES = [
  'Explain what a context window is, in two paragraphs',
  'Write a polite email declining a meeting',
  'Turn this list into a table: apples 3, pears 5, plums 2',
  'Write a TypeScript function that debounces another function',
];

export function EmptyChat({ onExample }: { onExample: (text: string) => void }) {
  return (
    <div class="empty">
      <h2>A private chat with Mistral</h2>
      <p>The model runs on this device’s GPU. What you write stays in this browser: nothing is sent anywhere.</p>
      <ul class="examples" aria-label="Example prompts">
        {EXAMPLES.map((text) => (
          <li key={text}>
            <button type="button" onClick={() => onExample(text)}>
              {text}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
