import type { TFunction } from 'i18next';
import type { AppError } from '../../errors.js';

/** Error codes the desk explains in the desk's language; others show the command's message. */
const MESSAGES: Record<string, string> = {
  revision_conflict: 'desk:stories.conflict',
  original_not_published: 'publishing:errors.originalNotPublished',
  schedule_time_required: 'publishing:errors.scheduleTimeRequired',
  schedule_in_past: 'publishing:errors.scheduleInPast',
  change_kind_required: 'publishing:errors.changeKindRequired',
  correction_note_required: 'publishing:errors.correctionNoteRequired',
  translations_choice_required: 'publishing:errors.translationsChoiceRequired',
  bad_redirect: 'publishing:errors.badRedirect',
  nothing_to_withdraw: 'publishing:errors.nothingToWithdraw',
  not_scheduled: 'publishing:errors.notScheduled',
  already_published: 'publishing:errors.alreadyPublished',
  forbidden_role: 'publishing:errors.forbiddenRole',
  forbidden_pair: 'desk:task.noPair',
  csrf_invalid: 'publishing:errors.csrf',
  story_not_found: 'publishing:story.notFound',
  unauthenticated: 'publishing:errors.unauthenticated',
  user_exists: 'admin:errors.userExists',
  self_lockout: 'admin:errors.selfLockout',
  ...Object.fromEntries(
    [
      'media_empty',
      'media_too_large',
      'upload_too_large',
      'media_svg_refused',
      'media_unsupported_type',
      'media_type_mismatch',
      'media_polyglot',
      'media_too_many_pixels',
      'media_unreadable',
      'image_alt_required',
      'image_missing',
    ].map((code) => [code, `media:errors.${code}`]),
  ),
};

/** The message a desk page shows for a refused action, in the desk's language. */
export function deskMessage(t: TFunction, err: AppError): string {
  const key = MESSAGES[err.code];
  // The pair a refusal names is the last word of the command's message ("… pair ru:hy").
  const pair = /([a-z]{2,3}:[a-z]{2,3})$/.exec(err.message)?.[1];
  return key ? t(key, { pair }) : err.message;
}
