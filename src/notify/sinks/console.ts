import type { Message } from '../message.ts';
import { actionsNote, chartNote, toPlainText } from '../render/plain.ts';
import type { Sink } from './sink.ts';

/**
 * The sink used when no chat platform is configured, so `npm start` works without tokens: every message
 * is printed as plain text followed by a rule line. A terminal shows no pictures or buttons: a chart is named in a line, buttons as the commands they run. `write` is injectable for tests.
 */
export function createConsoleSink(write: (text: string) => void = (s) => void process.stdout.write(s)): Sink {
  let sent = 0;
  return {
    name: 'console',
    destinations: () => ['console:stdout'],
    // The console has no length limit, so every message is one part.
    partCount: () => 1,
    async sendPart(_destination, msg: Message) {
      const notes = [chartNote(msg, 'a picture on Discord and Telegram'), actionsNote(msg)].filter(Boolean);
      write(`${toPlainText(msg)}${notes.length > 0 ? `\n\n${notes.join('\n')}` : ''}\n${'-'.repeat(40)}\n`);
      sent += 1;
      return { messageId: msg.id ?? `console-${sent}` };
    },
  };
}
