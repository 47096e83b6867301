// The conversation as the plain messages WebLLM's Mistral template reads,
// following Mistral's own chat template (v0.3 / mistral-common):
// - every system message's text, joined, goes at the start of the last user
//   turn ("{system}\n\n{user}"); WebLLM gets an empty system message, so the
//   template's built-in default system prompt is never added behind the caller's back;
// - `safe_prompt: true` puts Mistral's documented guardrail in front of it;
// - tools are offered as [AVAILABLE_TOOLS] … [/AVAILABLE_TOOLS] in the last
//   user turn (WebLLM wraps every user turn in [INST] … [/INST], so the block
//   sits inside it), calls replay as [TOOL_CALLS] [...], results as
//   [TOOL_RESULTS] {"content", "call_id"} [/TOOL_RESULTS].
// `renderPrompt` turns the same messages into one prompt string for WebLLM's
// text-completion path, which an assistant prefix needs.
import type { FunctionTool } from '../../protocol/contract';
import type { EngineRequest } from '../engine/engine';
import type { ToolSetup } from './tool-calls';
import type { Conversation } from './validate-messages';

/** Mistral's guardrail system prompt, as its API documents `safe_prompt`. */
export const MISTRAL_GUARDRAIL =
  'Always assist with care, respect, and truth. Respond with utmost utility yet securely. Avoid harmful, unethical, prejudiced, or negative content. Ensure replies promote fairness and positivity.';

type EngineMessage = { role: 'system' | 'user' | 'assistant'; content: string };

function toolsBlock(tools: FunctionTool[]): string {
  const defs = tools.map((t) => ({ type: 'function', function: { name: t.function.name, description: t.function.description ?? '', parameters: t.function.parameters ?? { type: 'object', properties: {} } } }));
  return `[AVAILABLE_TOOLS] ${JSON.stringify(defs)}[/AVAILABLE_TOOLS]`;
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The conversation in Mistral's format, as the plain messages WebLLM accepts. */
export function toEngineMessages(conversation: Conversation, setup: ToolSetup | null, safePrompt = false): EngineRequest['messages'] {
  const out: EngineMessage[] = [{ role: 'system', content: '' }];
  let lastUserTurn = -1;
  const push = (role: 'user' | 'assistant', content: string, joiner: string) => {
    const last = out[out.length - 1]!;
    // Turns of the same role that follow each other are one turn (as mistral-common merges them).
    if (out.length > 1 && last.role === role) last.content += `${joiner}${content}`;
    else out.push({ role, content });
  };
  for (const turn of conversation.turns) {
    switch (turn.role) {
      case 'user':
        push('user', turn.content, '\n\n');
        lastUserTurn = out.length - 1;
        break;
      case 'assistant':
        if (turn.toolCalls.length > 0) {
          const calls = turn.toolCalls.map((c) => ({ name: c.name, arguments: parsedOrText(c.arguments), id: c.id }));
          push('assistant', `${turn.content}[TOOL_CALLS] ${JSON.stringify(calls)}`, '\n\n');
        } else push('assistant', turn.content, '\n\n');
        break;
      case 'tool':
        push('user', `[TOOL_RESULTS] ${JSON.stringify({ content: turn.content, call_id: turn.toolCallId })}[/TOOL_RESULTS]`, '\n');
        break;
    }
  }
  const system = [safePrompt ? MISTRAL_GUARDRAIL : null, conversation.system].filter((s): s is string => s !== null).join('\n\n');
  if (system !== '' && lastUserTurn > 0) out[lastUserTurn]!.content = `${system}\n\n${out[lastUserTurn]!.content}`;
  if (setup) {
    // The tool definitions go with the last user-side turn.
    const lastUser = out.findLastIndex((m) => m.role === 'user');
    if (lastUser > 0) out[lastUser]!.content = `${toolsBlock(setup.tools)}${out[lastUser]!.content}`;
  }
  return out as EngineRequest['messages'];
}

/** The parts of a WebLLM conversation template (mlc-chat-config.json's `conv_template`) a text prompt needs. */
export interface ConvTemplate {
  system_template: string;
  system_message: string;
  roles: Record<string, string>;
  seps: string[];
  role_content_sep?: string;
  role_empty_sep?: string;
  add_role_after_system_message?: boolean;
  system_prefix_token_ids?: number[] | null;
}

/** WebLLM's Mistral template (mlc-llm's "mistral_default"), for models whose config is not at hand. */
export const MISTRAL_TEMPLATE: ConvTemplate = {
  system_template: '[INST] {system_message}',
  system_message: MISTRAL_GUARDRAIL,
  roles: { user: '[INST]', assistant: '[/INST]', tool: '[INST]' },
  seps: [' '],
  role_content_sep: ' ',
  role_empty_sep: '',
  add_role_after_system_message: false,
  system_prefix_token_ids: [1],
};

/**
 * One prompt string for `messages` (as toEngineMessages made them), rendered as
 * WebLLM's Conversation does for a chat request, then the assistant's reply
 * header and `prefix`: the model continues the prefix. WebLLM's text path adds
 * no BOS token, so the template's "<s>" is written out.
 */
export function renderPrompt(messages: EngineRequest['messages'], template: ConvTemplate, prefix: string): string {
  const system = messages[0]?.role === 'system' ? String(messages[0].content) : template.system_message;
  const systemPrompt = template.system_template.replace('{system_message}', system);
  const contentSep = template.role_content_sep ?? ': ';
  const pieces = [template.system_prefix_token_ids?.length ? '<s>' : '', systemPrompt];
  const turns = messages.filter((m) => m.role !== 'system');
  turns.forEach((m, i) => {
    const omitRole = template.add_role_after_system_message === false && systemPrompt !== '' && i === 0;
    pieces.push(`${omitRole ? '' : `${template.roles[m.role] ?? m.role}${contentSep}`}${String(m.content)}${template.seps[i % template.seps.length]}`);
  });
  const reply = `${template.roles.assistant ?? 'assistant'}${template.role_empty_sep ?? ': '}`;
  // The hosted API continues the prefix as the assistant's own text: "[/INST] {prefix}".
  return `${pieces.join('')}${reply}${prefix === '' ? '' : `${contentSep}${prefix}`}`;
}
