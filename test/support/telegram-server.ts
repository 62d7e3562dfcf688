/**
 * telegram-test-api's server class with the right type. The package sets `module.exports = TelegramServer`,
 * so an ESM default import is the class at runtime, while its .d.ts declares an ES `export default` that
 * TypeScript (NodeNext) reads as `.default` of the CommonJS module. This file bridges the two, once.
 */
import testApi from 'telegram-test-api';
import type { TelegramServer as TelegramServerClass } from 'telegram-test-api/lib/telegramServer.js';

export type TelegramServer = TelegramServerClass;

const loaded = testApi as unknown as { default?: typeof TelegramServerClass } & typeof TelegramServerClass;
export const TelegramServer: typeof TelegramServerClass = loaded.default ?? loaded;
