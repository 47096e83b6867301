import { mountChat } from 'mistral-local/chat';
import 'mistral-local/chat.css';

mountChat(document.getElementById('chat')!);
