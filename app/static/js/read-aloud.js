/* Sauti read-aloud: where the tablet has a voice for the interface language, a
 * small button beside each label (capture form) or line (receipt) reads it aloud
 * with the browser's own speech synthesis: no download, no server work. Where
 * there is no such voice, nothing is added. The script tag says what to read
 * (data-scope, a CSS selector) and the button's translated name (data-label);
 * a reference code (.ref) is spelled out character by character. */
(function () {
  'use strict';
  var script = document.currentScript;
  var synth = window.speechSynthesis;
  if (!script || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return;
  var scope = script.getAttribute('data-scope') || '';
  var name = script.getAttribute('data-label') || 'Read aloud';
  var lang = (document.documentElement.getAttribute('lang') || 'en').toLowerCase().replace('_', '-');

  function voice() {
    var voices = synth.getVoices() || [];
    var norm = function (v) { return String(v.lang || '').toLowerCase().replace('_', '-'); };
    var base = lang.split('-')[0];
    return voices.filter(function (v) { return norm(v) === lang; })[0] ||
      voices.filter(function (v) { return norm(v).split('-')[0] === base; })[0] || null;
  }

  function speak(text) {
    var v = voice();
    if (!v) return;
    synth.cancel();
    var u = new SpeechSynthesisUtterance(text);
    u.voice = v;
    u.lang = v.lang;
    synth.speak(u);
  }

  function add() {
    if (!scope || !voice() || document.querySelector('[data-read-aloud]')) return;
    Array.prototype.forEach.call(document.querySelectorAll(scope), function (el) {
      var text = el.textContent.replace(/\s+/g, ' ').trim();
      if (!text) return;
      if (el.classList.contains('ref')) text = text.split('').join(', ');
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'speak link';
      button.setAttribute('data-read-aloud', '');
      button.setAttribute('aria-label', name);
      button.title = name;
      button.textContent = '\uD83D\uDD0A';
      button.addEventListener('click', function (event) {
        event.preventDefault(); // never toggles the label's box or the details
        event.stopPropagation();
        speak(text);
      });
      el.appendChild(button);
    });
  }

  add();
  synth.addEventListener && synth.addEventListener('voiceschanged', add);
})();
