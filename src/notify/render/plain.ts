/** Message -> plain text for the console and logs. Pure; the same layout as the Telegram renderer. */
import type { Message, MessageField } from '../message.ts';

/** "Name: value" for one-line values; the name on its own line above a multi-line value. */
export function fieldLine(field: MessageField): { name: string; separator: string; value: string } {
  return { name: field.name, separator: field.value.includes('\n') ? '\n' : ': ', value: field.value };
}

/**
 * Title, description, fields and footer separated by blank lines. The tweet is not repeated. With `indent`
 * (a terminal, which has no bold field names), a multi-line field's value is indented under its name.
 */
export function toPlainText(msg: Message, opts: { indent?: boolean } = {}): string {
  const blocks = [msg.title];
  if (msg.description) blocks.push(msg.description);
  if (msg.fields.length > 0) {
    const lines = msg.fields.map((f) => {
      const { name, separator, value } = fieldLine(f);
      return separator === '\n' && opts.indent ? `${name}\n${value.replace(/^/gm, '    ')}` : `${name}${separator}${value}`;
    });
    blocks.push(lines.join('\n'));
  }
  if (msg.footer) blocks.push(msg.footer);
  return blocks.join('\n\n');
}

/** The line a text-only face shows for a chart it cannot display: "📊 Chart: <alt> <where>". */
export function chartNote(msg: Message, where: string): string | null {
  return msg.chart ? `📊 Chart: ${msg.chart.alt} (${where})` : null;
}

/**
 * The buttons of `msg` as a line a terminal can show, each with the command it runs:
 * "Buttons: [Confirm] /close all kz3j5 · [Cancel] /close all cancel".
 */
export function actionsNote(msg: Message): string | null {
  const actions = msg.actions ?? [];
  if (actions.length === 0) return null;
  return `Buttons: ${actions.map((a) => `[${a.label}] /${[a.command, ...(a.args ?? [])].join(' ')}`).join(' · ')}`;
}
