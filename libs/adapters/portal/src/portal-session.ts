import type { PortalAnswer } from './portal.port';

/**
 * Words by which the portal says a session is unknown or expired. No spec documents this answer
 * (DOMAIN §4.7: OpenCPS "learns it is stale from an error answer"), so this errs wide: a false
 * positive costs one extra login and one re-send, a false negative a dead-lettered message.
 */
const STALE_SESSION_WORDS = ['session', 'phiên', 'token', 'đăng nhập'];

export function isStaleSessionAnswer(answer: PortalAnswer): boolean {
  if (answer.outcome !== 'rejected') {
    return false;
  }
  const message = answer.message.toLowerCase();
  return STALE_SESSION_WORDS.some((word) => message.includes(word));
}
