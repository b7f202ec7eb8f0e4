/**
 * File pages: "I have version X installed; which articles ship a newer one?" Compares numerically
 * per part (6.0.6002.9 < 6.0.6002.23012), as compareVersions does at build time.
 * The page is complete without this script; it only highlights rows.
 */
import { compareVersions } from '../file-versions.ts';
import { counted } from '../counted.ts';

const form = document.getElementById('installed-version-form') as HTMLFormElement | null;
if (form) {
  const input = form.querySelector('input')!;
  const status = document.getElementById('installed-version-status')!;
  const rows = [...document.querySelectorAll<HTMLTableRowElement>('tr[data-version]')];
  const update = () => {
    const installed = input.value.trim();
    for (const row of rows) row.classList.remove('newer');
    if (!installed) {
      status.textContent = '';
      return;
    }
    if (!/^\d+(\.\d+){1,3}$/.test(installed)) {
      status.textContent = "Enter a version like 6.0.6002.18005";
      return;
    }
    const newer = rows.filter((row) => compareVersions(row.dataset.version!, installed) > 0);
    for (const row of newer) row.classList.add('newer');
    const articles = new Set(newer.map((row) => row.dataset.article));
    status.textContent = newer.length
      ? `${counted(newer.length, 'newer version')} than ${installed}, in ${counted(articles.size, 'article')} (highlighted)`
      : `No article ships a version newer than ${installed}`;
  };
  input.addEventListener('input', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update();
  });
}
