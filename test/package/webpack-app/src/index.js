import OpenAI from 'openai';
import { createLocalFetch, engine } from 'mistral-local';
import { runChat } from './run-chat.js';

window.run = (modelUrl, modelLibUrl) => runChat({ engine, createLocalFetch, OpenAI }, modelUrl, modelLibUrl);
