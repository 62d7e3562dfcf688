/**
 * The platform-neutral message every alert, reply and diary entry becomes before a renderer turns it into a
 * Discord embed, Telegram entities or console text. All text here is plain (no markdown): renderers make it
 * safe for their platform.
 */
import type { AlertEvent } from '../config/defaults.ts';

/** One labelled value; `inline` lets Discord lay short fields side by side. */
export type MessageField = { name: string; value: string; inline?: boolean };

/** Decides colour: bullish green, bearish red, neutral grey, info blue, warning amber. */
export type Tone = 'bullish' | 'bearish' | 'neutral' | 'info' | 'warning';

/**
 * A picture that goes with a message: SVG (src/charts), rasterised to PNG by the sink that sends it. Discord
 * shows it inside the embed, Telegram as a photo with the message as its caption.
 */
export type MessageChart = { svg: string; fileName: string; alt: string };

export type MessageKind = 'regime' | 'trade' | 'digest' | 'reply' | 'error' | 'diary';

/**
 * A button under a message (Discord's button components, Telegram's inline keyboard, a line of text on a
 * terminal). Pressing it runs `command` with `args` for whoever pressed it, through the same dispatcher and
 * admin checks as typing `/command args`. With `edit`, the answer replaces the message the button is on
 * (Refresh, Confirm) instead of coming as a message of its own. Command and args travel in the button itself
 * (./actions.ts), so they are short words.
 */
export type MessageAction = {
  label: string;
  command: string;
  args?: string[];
  edit?: boolean;
  /** How the platform draws it: `danger` for what cannot be undone (Close, Confirm). Default `secondary`. */
  style?: 'primary' | 'secondary' | 'danger';
};

export type Message = {
  kind: MessageKind;
  /** One line of at most 280 characters (UTF-16 units, which count an emoji as 2 like X does). */
  tweet?: string;
  title: string;
  description?: string;
  fields: MessageField[];
  tone: Tone;
  footer?: string;
  /** Stable id for dedupe: the same for the same event on every platform and across restarts. */
  id?: string;
  /**
   * The alert event whose noise setting governs it (ALERTS_<EVENT>: on, silent or off; ROUTE_<EVENT>: where
   * it goes). Trade alerts need it (accepted, rejected, exit); a regime, digest or diary alert without it counts
   * as its kind (notify/routing.ts). Replies leave it out: they answer whoever asked.
   */
  event?: AlertEvent;
  chart?: MessageChart;
  /** Buttons, at most 5, shown with the message's first part. */
  actions?: MessageAction[];
  /**
   * The plain data a reply was made from, for faces that want data rather than text (`hundredx ... --json`).
   * Renderers ignore it; alerts leave it out.
   */
  data?: unknown;
  /**
   * The request as a whole failed although there is a reply to show (a scan where every ticker failed): faces
   * that exit with a code (the CLI) exit non-zero. Renderers ignore it.
   */
  failed?: boolean;
};
