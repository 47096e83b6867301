// Tools, tool_choice and response_format, mapped onto what WebLLM runs:
// Mistral's tool format (tool-calls.ts) and WebLLM's schema-constrained JSON.
import type { FunctionTool } from '../../protocol/contract';
import { invalidParam } from '../../protocol/errors';
import type { EngineRequest } from '../engine/engine';
import { booleanParam, checkSchema, describe, isObject, type Json } from './param-checks';
import type { ToolSetup } from './tool-calls';

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function validateTools(request: Json): ToolSetup | null {
  const { tools, tool_choice: choice } = request;
  if (tools === undefined || tools === null) {
    if (choice !== undefined && choice !== null && choice !== 'none') throw invalidParam('tool_choice', "'tool_choice' needs 'tools'.");
    return null;
  }
  if (!Array.isArray(tools) || tools.length === 0) throw invalidParam('tools', "'tools' must be a non-empty array of function tools.", 'invalid_type');
  if (tools.length > 64) throw invalidParam('tools', `'tools' accepts at most 64 functions, got ${tools.length}.`);
  const names = new Set<string>();
  tools.forEach((tool, i) => {
    const p = `tools[${i}]`;
    if (isObject(tool) && typeof tool.type === 'string' && tool.type !== 'function') {
      // Mistral's hosted built-ins (web_search, code_interpreter, document_library, …) need its servers.
      throw invalidParam(`${p}.type`, `${p} is a '${tool.type.slice(0, 40)}' tool, which needs a hosted service; a local model can call only your own functions (type "function").`, 'unsupported_parameter');
    }
    if (!isObject(tool) || tool.type !== 'function' || !isObject(tool.function)) throw invalidParam(p, `${p} must be { type: "function", function: { name, description?, parameters? } }.`, 'invalid_type');
    const { name, parameters, description } = tool.function;
    if (typeof name !== 'string' || !TOOL_NAME.test(name)) throw invalidParam(`${p}.function.name`, `${p}.function.name must be 1-64 letters, digits, _ or -.`);
    if (names.has(name)) throw invalidParam(`${p}.function.name`, `Duplicate tool name '${name}'.`);
    names.add(name);
    if (parameters !== undefined && !isObject(parameters)) throw invalidParam(`${p}.function.parameters`, `${p}.function.parameters must be a JSON Schema object.`, 'invalid_type');
    if (parameters !== undefined) checkSchema(parameters, `${p}.function.parameters`);
    if (description !== undefined && typeof description !== 'string') throw invalidParam(`${p}.function.description`, `${p}.function.description must be a string.`, 'invalid_type');
  });
  const parallel = booleanParam(request, 'parallel_tool_calls') ?? true;
  let toolChoice: ToolSetup['choice'] | 'none' = 'auto';
  if (choice !== undefined && choice !== null) {
    if (choice === 'none' || choice === 'auto' || choice === 'required') toolChoice = choice;
    // Mistral's word for "required".
    else if (choice === 'any') toolChoice = 'required';
    else if (isObject(choice) && choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string') {
      if (!names.has(choice.function.name)) throw invalidParam('tool_choice', `tool_choice names '${choice.function.name}', which is not in 'tools'.`);
      toolChoice = { type: 'function', function: { name: choice.function.name } };
    } else throw invalidParam('tool_choice', "'tool_choice' must be 'none', 'auto', 'required' (or 'any') or { type: 'function', function: { name } }.");
  }
  if (toolChoice === 'none') return null;
  return { tools: tools as FunctionTool[], choice: toolChoice, parallel };
}

/**
 * OpenAI's JSON mode: any JSON object. WebLLM 0.2.86 hands a json_object
 * format's `schema` to xgrammar as it is, and xgrammar refuses an undefined
 * one ("Cannot pass non-string to std::string"), so the schema is always given.
 */
const JSON_OBJECT = { type: 'json_object' as const, schema: '{"type":"object"}' };

export function validateResponseFormat(value: unknown, structuredOutputs: boolean | undefined): EngineRequest['response_format'] {
  if (value === undefined || value === null) {
    if (structuredOutputs) throw invalidParam('structured_outputs', "'structured_outputs' needs a 'response_format' of type json_schema.");
    return undefined;
  }
  if (!isObject(value)) throw invalidParam('response_format', "'response_format' must be an object.", 'invalid_type');
  switch (value.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return JSON_OBJECT;
    case 'json_schema': {
      const spec = value.json_schema;
      if (!isObject(spec) || typeof spec.name !== 'string' || spec.name.length === 0) {
        throw invalidParam('response_format.json_schema', "response_format.json_schema must be an object with a 'name'.");
      }
      if (spec.schema !== undefined && !isObject(spec.schema)) {
        throw invalidParam('response_format.json_schema.schema', 'response_format.json_schema.schema must be a JSON Schema object.', 'invalid_type');
      }
      if (spec.schema !== undefined) checkSchema(spec.schema, 'response_format.json_schema.schema');
      // WebLLM spells OpenAI's json_schema as json_object with a schema string.
      return spec.schema === undefined ? JSON_OBJECT : { type: 'json_object', schema: JSON.stringify(spec.schema) };
    }
    default:
      throw invalidParam('response_format.type', `response_format.type must be one of text, json_object, json_schema; got ${describe(value.type)}.`);
  }
}
