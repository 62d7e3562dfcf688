/** Buttons on Discord through a real discord.js Client against the local gateway and REST. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { BotServices } from '../../src/app/services.ts';
import { startDiscordBot, type DiscordBot } from '../../src/chat/discord.ts';
import { loadConfig } from '../../src/config/config.ts';
import { tradeAlert } from '../../src/notify/trade-alert.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { APP_ID, buttonPress, interaction, startFakeDiscord, type FakeDiscord, type RecordedRequest } from '../support/discord-gateway.ts';

const TOKEN = 'FAKE.DISCORD.TOKEN';
const ADMIN_ID = '1';
/** 15:00 New York on the replay date. */
const NOW = new Date('2020-03-12T19:00:00Z');
type Body = { type: number; data?: { flags?: number; embeds?: { title?: string }[]; components?: { components: { custom_id: string; label: string }[] }[] } };
const body = (r: RecordedRequest) => r.body as Body;
const titleOf = (r: RecordedRequest) => (r.body as { embeds?: { title?: string }[] }).embeds?.[0]?.title;

describe('Discord buttons through a real discord.js Client', () => {
  let fake: FakeDiscord;
  let runtime: Runtime;
  let services: BotServices;
  let bot: DiscordBot;
  let clockMs = NOW.getTime();
  const logs: string[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord();
    runtime = await createRuntime(loadConfig({ MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12' }), { store: new MemoryStore() });
    services = new BotServices(runtime);
    bot = await startDiscordBot({
      token: TOKEN, appId: APP_ID, guildId: '123', apiRoot: fake.api, services, adminIds: [`discord:${ADMIN_ID}`], commands,
      now: () => new Date(clockMs),
      logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    });
  });
  afterAll(async () => {
    await bot.stop();
    await fake.close();
    await runtime.close();
  });

  const open = async (symbol: string) => {
    const [result] = (await services.scan([symbol])).results;
    const event = await services.ledger.open(result!.plan!, { alertId: tradeAlert(result!.plan!).id!, at: NOW });
    if (event.type === 'open.skipped') throw new Error(event.reason);
    return event.position.id;
  };
  const callbackOf = (p: { id: string; token: string }) => fake.waitFor((r) => r.path === `/api/v10/interactions/${p.id}/${p.token}/callback`);
  const editOf = (p: { token: string }) =>
    fake.waitFor((r) => r.method === 'PATCH' && r.path === `/api/v10/webhooks/${APP_ID}/${p.token}/messages/%40original` && r.status === 200);

  it("should refuse a member's press of Close ephemerally and close nothing", async () => {
    const id = await open('SPY');
    const press = buttonPress({ customId: `hx|r|close|${id}` });
    fake.dispatch('INTERACTION_CREATE', press);
    expect(body(await callbackOf(press))).toMatchObject({ type: 4, data: { flags: 64, embeds: [{ title: 'You are not allowed to use /close.' }] } });
    expect((await services.ledger.openPositions()).map((p) => p.id)).toContain(id);
  });

  it("should close the position on an admin's press: deferred, then the exit as the reply", async () => {
    const id = (await services.ledger.openPositions())[0]!.id;
    const press = buttonPress({ customId: `hx|r|close|${id}`, userId: ADMIN_ID });
    fake.dispatch('INTERACTION_CREATE', press);
    expect(body(await callbackOf(press))).toMatchObject({ type: 5 });
    expect(titleOf(await editOf(press))).toMatch(/^👋 SPY Mar 20 \$235 put closed by admin/);
    expect(await services.ledger.openPositions()).toEqual([]);
  });

  it('should refresh /positions in place: an update of the message with its Refresh button', async () => {
    await open('IWM');
    const press = buttonPress({ customId: 'hx|e|positions' });
    fake.dispatch('INTERACTION_CREATE', press);
    const update = body(await callbackOf(press));
    expect(update).toMatchObject({ type: 7, data: { embeds: [{ title: 'Open paper positions (1)' }] } });
    expect(update.data?.components?.[0]?.components.map((c) => [c.label, c.custom_id])).toEqual([['Refresh', 'hx|e|positions']]);
  });

  it('should ask before /close all, then on Confirm defer the update and edit the prompt into the result, buttons gone', async () => {
    const typed = interaction({ name: 'close', options: [{ name: 'position', value: 'all' }], userId: ADMIN_ID });
    fake.dispatch('INTERACTION_CREATE', typed);
    const prompt = (await editOf(typed)).body as Body['data'];
    expect(prompt?.embeds?.[0]?.title).toBe('Close all 1 open paper position at the bid?');
    const [confirm, cancel] = prompt!.components![0]!.components;
    expect([confirm?.label, cancel?.label]).toEqual(['Confirm', 'Cancel']);

    const member = buttonPress({ customId: confirm!.custom_id });
    fake.dispatch('INTERACTION_CREATE', member);
    expect(body(await callbackOf(member))).toMatchObject({ type: 4, data: { flags: 64 } });

    const press = buttonPress({ customId: confirm!.custom_id, userId: ADMIN_ID });
    fake.dispatch('INTERACTION_CREATE', press);
    expect(body(await callbackOf(press))).toMatchObject({ type: 6 });
    const edited = (await editOf(press)).body as Body['data'];
    expect(edited?.embeds?.[0]?.title).toMatch(/^Closed 1 paper position at the bid: /);
    expect(edited?.components).toEqual([]);
    expect(await services.ledger.openPositions()).toEqual([]);
  });

  it('should answer Cancel, and a Confirm pressed after 60 s, by editing the prompt: nothing sold', async () => {
    await open('EEM');
    const typed = interaction({ name: 'close', options: [{ name: 'position', value: 'all' }], userId: ADMIN_ID });
    fake.dispatch('INTERACTION_CREATE', typed);
    const [confirm, cancel] = ((await editOf(typed)).body as Body['data'])!.components![0]!.components;
    const cancelled = buttonPress({ customId: cancel!.custom_id, userId: ADMIN_ID });
    fake.dispatch('INTERACTION_CREATE', cancelled);
    // /close is slow (it fetches chains), so every press of its buttons is deferred as an update first.
    expect(body(await callbackOf(cancelled))).toMatchObject({ type: 6 });
    expect((await editOf(cancelled)).body).toMatchObject({ embeds: [{ title: 'Closing all positions cancelled: nothing was sold.' }], components: [] });
    clockMs += 61_000;
    const late = buttonPress({ customId: confirm!.custom_id, userId: ADMIN_ID });
    fake.dispatch('INTERACTION_CREATE', late);
    expect(body(await callbackOf(late))).toMatchObject({ type: 6 });
    expect(titleOf(await editOf(late))).toBe('This confirmation expired: nothing was sold. Run /close all again.');
    expect(await services.ledger.openPositions()).toHaveLength(1);
    expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
  });

  it('should refuse a forged button ephemerally', async () => {
    const press = buttonPress({ customId: 'hx|r|close|1; drop' });
    fake.dispatch('INTERACTION_CREATE', press);
    expect(body(await callbackOf(press))).toMatchObject({ type: 4, data: { flags: 64, embeds: [{ title: 'This button no longer works; run the command again.' }] } });
  });
});
