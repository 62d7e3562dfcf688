import { describe, expect, it } from 'vitest';
import { ACTION_DATA_MAX_BYTES, decodeAction, encodeAction } from '../../src/notify/actions.ts';
import type { Message } from '../../src/notify/message.ts';
import { toDiscordPayloads } from '../../src/notify/render/discord.ts';
import { actionsNote } from '../../src/notify/render/plain.ts';
import { toTelegramParts } from '../../src/notify/render/telegram.ts';
import { withChart } from './samples.ts';

const close = { label: 'Close', command: 'close', args: ['3'], style: 'danger' as const };
const refresh = { label: 'Refresh', command: 'positions', edit: true };

describe('notify/actions', () => {
  it('should carry a button as a short string and read it back', () => {
    expect(encodeAction(close)).toBe('hx|r|close|3');
    expect(encodeAction(refresh)).toBe('hx|e|positions');
    expect(decodeAction('hx|r|close|3')).toEqual({ ok: true, action: { command: 'close', args: ['3'], edit: false } });
    expect(decodeAction('hx|e|close|all|kz3j5x')).toEqual({ ok: true, action: { command: 'close', args: ['all', 'kz3j5x'], edit: true } });
  });

  it("should refuse what is not one of ours: another prefix, a bad word, too many arguments, over Telegram's 64 bytes", () => {
    const accepted = (data: string) => decodeAction(data).ok;
    expect(accepted('xx|r|close|3')).toBe(false);
    expect(accepted('hx|x|close|3')).toBe(false);
    expect(accepted('hx|r|CLOSE|3')).toBe(false);
    expect(accepted('hx|r|close|3 4')).toBe(false);
    expect(accepted('hx|r|close|a|b|c|d')).toBe(false);
    expect(accepted('hx|r|close|')).toBe(false);
    expect(accepted(`hx|r|close|${'a'.repeat(24)}|${'b'.repeat(24)}|${'c'.repeat(24)}`)).toBe(false); // 85 bytes of good words
    expect(accepted(`hx|r|close|${'a'.repeat(24)}|${'b'.repeat(24)}`)).toBe(true); // 60 bytes
    expect(decodeAction(`hx|r|close|${'a'.repeat(60)}`)).toMatchObject({ ok: false, reason: `longer than ${ACTION_DATA_MAX_BYTES} bytes` });
  });

  it('should throw naming the button when a message makes one that cannot be carried', () => {
    expect(() => encodeAction({ label: 'Bad', command: 'close', args: ['two words'] })).toThrow(/^button "Bad": .*not an argument word/s);
  });
});

describe('buttons per platform', () => {
  const msg: Message = { kind: 'reply', title: 'Open paper positions (1)', fields: [], tone: 'info', actions: [refresh, close] };

  it('should give Discord one row of buttons on the first payload only', () => {
    const long = { ...msg, description: 'x\n'.repeat(5000) };
    const [first, second] = toDiscordPayloads(long);
    expect(first?.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Refresh', custom_id: 'hx|e|positions' },
          { type: 2, style: 4, label: 'Close', custom_id: 'hx|r|close|3' },
        ],
      },
    ]);
    expect(second).not.toHaveProperty('components');
  });

  it('should give Telegram an inline keyboard on the first part, a photo included', () => {
    const keyboard = { inline_keyboard: [[{ text: 'Refresh', callback_data: 'hx|e|positions' }, { text: 'Close', callback_data: 'hx|r|close|3' }]] };
    expect(toTelegramParts(msg)[0]?.markup).toEqual(keyboard);
    expect(toTelegramParts(withChart(msg))[0]).toMatchObject({ type: 'photo', markup: keyboard });
    expect(toTelegramParts({ ...msg, actions: undefined })[0]?.markup).toBeUndefined();
  });

  it('should show a terminal each button as the command it runs', () => {
    expect(actionsNote(msg)).toBe('Buttons: [Refresh] /positions · [Close] /close 3');
    expect(actionsNote({ ...msg, actions: [] })).toBeNull();
  });
});
