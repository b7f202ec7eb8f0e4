/**
 * "Copy link" and "Copy citation" on article pages, for pasting into support tickets:
 *   KB2792165: <title> — <url>            (plain text)
 *   [KB2792165: <title>](<url>)           (Markdown)
 * Added by script because they need the clipboard; the page is complete without them.
 */
const panel = document.querySelector<HTMLElement>('.meta-panel[data-cite-url]');
if (panel) {
  const url = panel.dataset.citeUrl!;
  const label = panel.dataset.citeLabel!;
  const texts: Array<[string, string]> = [
    ['Copy link', url],
    ['Copy citation', `${label} — ${url}`],
    ['Copy as Markdown', `[${label}](${url})`],
  ];
  const box = document.createElement('p');
  box.className = 'copy-buttons';
  for (const [caption, text] of texts) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = caption;
    button.dataset.copy = text;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch {
        window.prompt('Copy this:', text);
      }
      setTimeout(() => (button.textContent = caption), 1500);
    });
    box.append(button);
  }
  panel.prepend(box);
}
