/**
 * @module A tiny document model for the diary, with its two faces: Markdown for `diary/YYYY-MM-DD.md` and plain
 * text for the chat Message (whose renderers escape markdown themselves). Both share one layout, line for
 * line, so a saved Markdown file turns back into the same Message text (markdownToPlain) when only the file
 * survived. Pure.
 */

/** A lead line and/or a list right under it; blocks are separated by a blank line. */
export type DocBlock = { lead?: string; items?: string[]; ordered?: boolean };
export type DocSection = { heading: string; blocks: DocBlock[] };
/** `closing` lines end the Markdown after a rule and become the Message footer. */
export type DiaryDoc = { title: string; sections: DocSection[]; closing: string[] };

/**
 * Characters that would start emphasis, code, links or strikethrough anywhere in a line, and a `<` that could
 * open an HTML tag or autolink (`<b`, `</`, `<!`); "VIX 17.90 < 18" stays readable.
 */
const INLINE = /[\\`*_[\]~]|<(?=[A-Za-z/!?])/g;
/** Escape plain text for Markdown; unescapeMarkdown undoes exactly this. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE, '\\$&')
    .replace(/^[#>+-]/, '\\$&') // a heading, quote or bullet marker at the start of a line
    .replace(/^(\d+)([.)])/, '$1\\$2'); // "12." would start an ordered list
}

/** The inverse of escapeMarkdown (one left-to-right pass, so an escaped backslash stays one backslash). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_[\]<~#>+\-.)])/g, '$1');
}

/** Items and leads are one line each: a stray newline would break the layout both faces share. */
const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

type Marks = { heading: string; bullet: string; escape: (s: string) => string };

function lines(doc: DiaryDoc, m: Marks): string[] {
  const out: string[] = [];
  for (const section of doc.sections) {
    if (out.length > 0) out.push('');
    out.push(`${m.heading}${m.escape(section.heading)}`);
    for (const block of section.blocks) {
      out.push('');
      if (block.lead !== undefined) out.push(m.escape(oneLine(block.lead)));
      (block.items ?? []).forEach((item, i) => out.push(`${block.ordered ? `${i + 1}. ` : m.bullet}${m.escape(oneLine(item))}`));
    }
  }
  return out;
}

/** The Message description: sections as plain text, "• " bullets, no title and no closing. */
export function docToPlain(doc: DiaryDoc): string {
  return lines(doc, { heading: '', bullet: '• ', escape: (s) => s }).join('\n');
}

/** The whole Markdown file: `# title`, `## sections`, then a rule and the closing lines. */
export function docToMarkdown(doc: DiaryDoc): string {
  const body = lines(doc, { heading: '## ', bullet: '- ', escape: escapeMarkdown });
  const closing = doc.closing.flatMap((line) => ['', escapeMarkdown(oneLine(line))]);
  return [`# ${escapeMarkdown(oneLine(doc.title))}`, '', ...body, '', '---', ...closing, ''].join('\n');
}

/**
 * A Markdown file written by docToMarkdown -> the title, plain description and footer the Message had.
 * Returns null for text that does not start with a `# ` title (not one of ours).
 */
export function markdownToPlain(markdown: string): { title: string; description: string; footer: string } | null {
  const all = markdown.replace(/\r\n/g, '\n').split('\n');
  const head = all[0] ?? '';
  if (!head.startsWith('# ')) return null;
  const rule = all.lastIndexOf('---');
  const body = all.slice(1, rule === -1 ? undefined : rule);
  const closing = rule === -1 ? [] : all.slice(rule + 1).filter((l) => l.trim() !== '');
  const plain = body.map((line) => {
    if (line.startsWith('## ')) return unescapeMarkdown(line.slice(3));
    if (line.startsWith('- ')) return `• ${unescapeMarkdown(line.slice(2))}`;
    const ordered = /^(\d+\. )(.*)$/.exec(line);
    if (ordered) return `${ordered[1]}${unescapeMarkdown(ordered[2] ?? '')}`;
    return unescapeMarkdown(line);
  });
  return {
    title: unescapeMarkdown(head.slice(2)),
    description: plain.join('\n').trim(),
    footer: closing.map(unescapeMarkdown).join(' '),
  };
}
