/**
 * @module GET /alerts : the outbox's alert log, newest first, with each destination's delivery status: sent
 * with the platform's message id, pending (being sent, or kept for a later retry) or failed with the
 * platform's reason. Reasons quote the platforms' own words and are scrubbed of secrets.
 */
import { redactSecrets } from '../../../core/errors.ts';
import type { AlertDelivery, AlertLogItem } from '../../../notify/alert-log.ts';
import { h, type Html, nyTime, table } from './html.ts';

function deliveryCell(d: AlertDelivery, secrets: readonly string[]): Html {
  const parts = d.partsSent ? `, ${d.partsSent} part${d.partsSent === 1 ? '' : 's'} out` : '';
  switch (d.status) {
    case 'sent':
      return h`<span class="good">sent</span> ${d.expired ? h`<small>(its message id is kept 30 days)</small>` : h`<small>message ${d.messageId}</small>`}`;
    case 'pending':
      return h`<span class="warn">pending</span> <small>next try ${d.dueAtMs === undefined ? 'now' : nyTime(d.dueAtMs)}${parts}</small>`;
    case 'failed':
      return h`<span class="bad">failed</span> <small>${d.failedAtMs === undefined ? '' : nyTime(d.failedAtMs)}${parts}: ${redactSecrets(d.error ?? '', secrets)}</small>`;
    case 'unknown':
      return h`<span class="muted">no record</span>`;
  }
}

export function alertsBody(items: readonly AlertLogItem[], secrets: readonly string[]): Html {
  if (items.length === 0) return h`<p class="muted">No alert sent yet.</p>`;
  const rows = items.map((a) => {
    const deliveries = a.deliveries.map((d) => h`<div>${d.destination}: ${deliveryCell(d, secrets)}</div>`);
    const reply = a.replyToAlertId ? h`<br><small>reply to ${a.replyToAlertId}</small>` : '';
    return h`<tr><td>${nyTime(a.atMs)}</td><td>${a.kind}</td><td class="text">${a.title}${reply}</td><td class="text">${deliveries}</td></tr>`;
  });
  const counts = (status: AlertDelivery['status']) => items.reduce((n, a) => n + a.deliveries.filter((d) => d.status === status).length, 0);
  return h`<p>${items.length} alert${items.length === 1 ? '' : 's'}, newest first: ${counts('sent')} deliveries sent, ${counts('pending')} pending, ${counts('failed')} failed.</p>
${table(['Posted', 'Kind', 'Alert', 'Delivery per destination'], rows)}`;
}
