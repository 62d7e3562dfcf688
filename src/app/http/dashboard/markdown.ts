/**
 * @module The diary's Markdown as HTML. Diaries are written by diary/doc.ts in a small subset: `# title`,
 * `## section`, paragraphs of single lines, `- ` and `1. ` list items, a `---` rule, every character that
 * Markdown would read escaped with a backslash. Rendering that subset needs no Markdown library: each line
 * is unescaped back to its plain text, then HTML-escaped, so nothing in a file (a hand-edited one included)
 * can become markup. Anything outside the subset shows as the text it is.
 */
import { unescapeMarkdown } from '../../../diary/doc.ts';
import { h, type Html } from './html.ts';

type List = { ordered: boolean; items: Html[] };

/** The diary file's Markdown as safe HTML. */
export function diaryMarkdownToHtml(markdown: string): Html {
  const out: Html[] = [];
  let list: List | null = null;
  const endList = () => {
    if (list) out.push(list.ordered ? h`<ol>${list.items}</ol>` : h`<ul>${list.items}</ul>`);
    list = null;
  };
  const addItem = (ordered: boolean, text: string) => {
    if (list && list.ordered !== ordered) endList();
    list ??= { ordered, items: [] };
    list.items.push(h`<li>${unescapeMarkdown(text)}</li>`);
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const ordered = /^\d+\.\s+(.*)$/.exec(line);
    if (line.startsWith('- ')) addItem(false, line.slice(2));
    else if (ordered) addItem(true, ordered[1] ?? '');
    else {
      endList();
      if (line.trim() === '') continue;
      // One level down: the page's own title is the h1.
      if (line.startsWith('## ')) out.push(h`<h3>${unescapeMarkdown(line.slice(3))}</h3>`);
      else if (line.startsWith('# ')) out.push(h`<h2>${unescapeMarkdown(line.slice(2))}</h2>`);
      else if (line.trim() === '---') out.push(h`<hr>`);
      else out.push(h`<p>${unescapeMarkdown(line)}</p>`);
    }
  }
  endList();
  return h`<article class="diary">${out}</article>`;
}
