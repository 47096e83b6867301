// No bundler: the package's files and the openai client are served from this site's own origin.
import OpenAI from './vendor/openai/index.mjs';
import { createLocalFetch, engine } from './vendor/mistral-local/index.js';
import { runChat } from './run-chat.js';

window.run = (modelUrl, modelLibUrl) => runChat({ engine, createLocalFetch, OpenAI }, modelUrl, modelLibUrl);
