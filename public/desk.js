/* global document, window */
// Progressive enhancement for the desk: every page works without this file.
document.documentElement.classList.add('js');

document.addEventListener('DOMContentLoaded', () => {
  // Change the interface language as soon as it is picked (the form has a button without JS).
  for (const select of document.querySelectorAll('select[data-autosubmit]')) {
    select.addEventListener('change', () => select.form && select.form.requestSubmit());
  }

  // Warn before leaving a segment editor with unsaved changes.
  const editor = document.querySelector('form[data-unsaved-warning]');
  if (editor) {
    let dirty = false;
    editor.addEventListener('input', () => {
      dirty = true;
    });
    for (const form of document.querySelectorAll('form')) {
      form.addEventListener('submit', () => {
        dirty = false;
      });
    }
    window.addEventListener('beforeunload', (event) => {
      if (dirty) event.preventDefault();
    });
  }

  // Ask before an irreversible action (submit for review, reject, request translations).
  for (const button of document.querySelectorAll('button[data-confirm]')) {
    button.addEventListener('click', (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});
