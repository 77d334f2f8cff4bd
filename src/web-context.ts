import type { i18n } from 'i18next';
import type { AppContext } from './context.js';
import type { Views } from './views/views.js';

/** What the web layer adds to the process context: compiled templates and translations. */
export interface WebContext extends AppContext {
  views: Views;
  i18n: i18n;
}
