/**
 * Per-chat watchlists on the Store: tickers a chat added with `/watch add`, scanned with the universe.
 * A chat is named like a destination ('discord:<channelId>', 'telegram:<chatId>').
 */
import type { Store } from '../store/store.ts';

const CHATS_KEY = 'hx:watch:chats';
const chatKey = (chat: string) => `hx:watch:${chat}`;

/** Most tickers one chat may watch: keeps one chat from making every cycle slow. */
export const MAX_WATCHLIST = 50;

export class Watchlists {
  constructor(private readonly store: Store) {}

  /** Adds a ticker; returns false when the list is full (the ticker was not added). */
  async add(chat: string, symbol: string): Promise<boolean> {
    const current = await this.list(chat);
    if (current.includes(symbol)) return true;
    if (current.length >= MAX_WATCHLIST) return false;
    await this.store.setAdd(chatKey(chat), symbol);
    await this.store.setAdd(CHATS_KEY, chat);
    return true;
  }

  async remove(chat: string, symbol: string): Promise<boolean> {
    const had = (await this.list(chat)).includes(symbol);
    await this.store.setRemove(chatKey(chat), symbol);
    return had;
  }

  async list(chat: string): Promise<string[]> {
    return (await this.store.setMembers(chatKey(chat))).sort();
  }

  /** Every chat's list, for the cycle to scan alongside the universe. */
  async all(): Promise<string[][]> {
    const chats = await this.store.setMembers(CHATS_KEY);
    return Promise.all(chats.map((chat) => this.list(chat)));
  }
}
