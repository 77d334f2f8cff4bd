/**
 * "Copy link" on an article (`templates/pages/article.hbs`): progressive enhancement of the
 * share links. Without JavaScript, or without the Clipboard API (an insecure origin), the
 * button stays hidden and the other share links work as plain links; with them it appears
 * and copies the article's canonical URL, saying so in the status line.
 */
function enhance(button: HTMLButtonElement): void {
  const status = button.closest('.share')?.querySelector<HTMLElement>('.share-status');
  button.addEventListener('click', () => {
    const url = button.dataset.copyUrl ?? location.href;
    navigator.clipboard.writeText(url).then(
      () => {
        if (status) status.textContent = button.dataset.copied ?? '';
      },
      () => {
        if (status) status.textContent = button.dataset.copyFailed ?? '';
      },
    );
  });
  const item = button.closest('li');
  if (item) item.hidden = false;
}

if (typeof navigator.clipboard?.writeText === 'function') {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy-url]')) enhance(button);
}
