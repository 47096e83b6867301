// The embedding model semantic search uses (WebLLM's small arctic-embed:
// about 240 MB of GPU memory), and turning semantic search on or off.
import { saveSemanticSearch } from '../storage/conversations';
import { semanticSearch } from './app-state';

export const EMBEDDING_MODEL = 'snowflake-arctic-embed-s';

/** On: documents attached from now on are embedded too, and questions are ranked by meaning as well as words. */
export function setSemanticSearch(on: boolean): void {
  semanticSearch.value = on;
  void saveSemanticSearch(on).catch(() => {});
}
