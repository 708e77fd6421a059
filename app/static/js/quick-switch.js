/* Sauti quick switch: a PIN-protected screen locks itself after the node's
 * lock_idle_minutes without a touch or a key (the node locks the session at the
 * same time, so this only takes the page off the screen). Locking replaces the
 * page in the history; signed-in pages are sent no-store, so Back shows nothing. */
(function () {
  'use strict';
  var form = document.querySelector('form[data-lock-form]');
  if (!form) return;
  var seconds = Number(form.getAttribute('data-idle-seconds')) || 0;
  if (seconds <= 0) return;
  var timer = null;
  function lock() { HTMLFormElement.prototype.submit.call(form); }
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(lock, seconds * 1000);
  }
  ['pointerdown', 'keydown', 'input', 'scroll', 'touchstart'].forEach(function (name) {
    window.addEventListener(name, reset, { passive: true, capture: true });
  });
  reset();
})();
