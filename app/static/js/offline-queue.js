/* Sauti offline queue (no framework, ES2017).
 *
 * A form marked data-offline-queue="needs" is sent as JSON to /api/v1/needs.
 * When the node does not answer (network error, 5xx, session gone), the need
 * is kept in IndexedDB with its uuid and sent again later: on the `online`
 * event, on a bounded back-off timer and when a page loads. An item leaves
 * the queue only on a definitive answer (200, 201, 409, 422); the uuid makes
 * every retry idempotent. Works on plain HTTP too (no service worker there).
 * The page shows the count in the partial capture/_offline_status.html. */
(function () {
  'use strict';

  var DB_NAME = 'sauti-offline';
  var OUTBOX = 'outbox';
  var REJECTED = 'rejected';
  var DEFINITIVE = [200, 201, 409, 422];
  var RETRY_MIN = 2000;
  var RETRY_MAX = 60000;
  var SUBMIT_TIMEOUT = 8000;
  var FLUSH_TIMEOUT = 15000;
  var SENT_KEY = 'sauti-offline-sent';  // codes of needs sent from the queue (localStorage)
  var SENT_MAX = 50;
  var TEXT_FIELDS = ['text', 'language', 'category', 'locality', 'gender', 'age_band',
    'channel', 'captured_at'];

  var statusEl = document.querySelector('[data-offline-status]');
  var forms = Array.prototype.slice.call(document.querySelectorAll('form[data-offline-queue]'));
  var dbPromise = null;
  var flushing = false;
  var retryDelay = RETRY_MIN;
  var retryTimer = null;

  /* -- IndexedDB ---------------------------------------------------------- */

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error('no IndexedDB')); return; }
        var req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          var db = req.result;
          if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: 'uuid' });
          if (!db.objectStoreNames.contains(REJECTED)) db.createObjectStore(REJECTED, { keyPath: 'uuid' });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
      dbPromise.catch(function () { dbPromise = null; });
    }
    return dbPromise;
  }

  /* Run WORK(stores) in one transaction; resolves once it is committed
   * (strict durability: on disk before the page says "kept"). */
  async function transact(names, mode, work) {
    var db = await openDb();
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(names, mode, { durability: 'strict' });
      var result;
      var stores = names.map(function (n) { return tx.objectStore(n); });
      var req = work.apply(null, stores);
      if (req) req.onsuccess = function () { result = req.result; };
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }

  function allOf(name) {
    return transact([name], 'readonly', function (s) { return s.getAll(); })
      .then(function (items) {
        return (items || []).sort(function (a, b) { return a.queued_at < b.queued_at ? -1 : 1; });
      });
  }

  /* -- helpers ------------------------------------------------------------- */

  function newUuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') return c.randomUUID(); // secure contexts only
    var b = c.getRandomValues(new Uint8Array(16)); // works on plain HTTP too
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  function msg(key, n) {
    var text = statusEl ? statusEl.getAttribute('data-msg-' + key) || '' : '';
    return text.replace('{n}', String(n));
  }

  function endpointOf(form) {
    return form.getAttribute('data-offline-endpoint') || form.getAttribute('data-api') ||
      '/api/v1/' + form.getAttribute('data-offline-queue');
  }

  /* The form's fields as the API's JSON body (only the API's field names). */
  function bodyOf(form) {
    var fd = new FormData(form);
    var body = { uuid: String(fd.get('uuid') || '').trim() };
    TEXT_FIELDS.forEach(function (key) {
      if (!fd.has(key)) return;
      var value = String(fd.get(key));
      if (value !== '' || key === 'text') body[key] = value;
    });
    if (form.elements.namedItem('goals')) {
      var goals = fd.getAll('goals').filter(Boolean).map(Number);
      if (goals.length) body.goals = goals;
    }
    if (form.elements.namedItem('groups')) body.groups = fd.getAll('groups').filter(Boolean).map(String);
    if (fd.has('supporters') && fd.get('supporters') !== '') {
      var n = Number(fd.get('supporters'));
      body.supporters = Number.isInteger(n) ? n : String(fd.get('supporters'));
    }
    var respondent = {};
    ['name', 'contact'].forEach(function (part) {
      var value = String(fd.get('respondent_' + part) || '').trim();
      if (value) respondent[part] = value;
    });
    if (Object.keys(respondent).length) body.respondent = respondent;
    if (form.elements.namedItem('consent')) {
      body.consent = fd.has('consent') && ['', '0', 'false', 'no', 'off'].indexOf(String(fd.get('consent'))) < 0;
    }
    if (!body.captured_at) body.captured_at = new Date().toISOString();
    return body;
  }

  /* POST one item. {definitive, status, reason, data}; never throws. */
  async function send(item, timeout) {
    var abort = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, timeout) : null;
    var res;
    try {
      res = await fetch(item.url, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: {
          'Content-Type': 'application/json',
          'Accept': 'application/json',
          'X-CSRFToken': csrfToken()
        },
        body: JSON.stringify(item.body),
        signal: abort ? abort.signal : undefined
      });
    } catch (e) {
      clearTimeout(timer);
      return { definitive: false, reason: 'network' };
    }
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    clearTimeout(timer);
    var status = res.status;
    // Only Sauti's own answer is definitive (not a captive portal's page).
    var ours = data && typeof data === 'object' &&
      (status >= 400 ? typeof data.error === 'string' :
        String(data.uuid).toLowerCase() === String(item.body.uuid).toLowerCase());
    if (DEFINITIVE.indexOf(status) >= 0 && ours) return { definitive: true, status: status, data: data };
    var reason = 'server';
    if (status === 401 || status === 403) reason = 'auth';
    else if (status === 400 && data && data.error === 'csrf_failed') reason = 'csrf';
    return { definitive: false, status: status, reason: reason, data: data };
  }

  /* -- codes of needs sent from the queue ------------------------------------ */

  function sentList() {
    try {
      var list = JSON.parse(window.localStorage.getItem(SENT_KEY) || '[]');
      return Array.isArray(list) ? list : [];
    } catch (e) { return []; }
  }

  function rememberSent(item, ref) {
    var list = sentList().filter(function (s) { return s.ref !== ref; });
    list.unshift({ ref: String(ref), text: String(item.body.text || '').slice(0, 60) });
    try { window.localStorage.setItem(SENT_KEY, JSON.stringify(list.slice(0, SENT_MAX))); } catch (e) { /* full */ }
  }

  function renderSent() {
    var box = part('sent');
    if (!box) return;
    var list = sentList();
    box.hidden = list.length === 0;
    var ul = part('sent-list');
    ul.textContent = '';
    var receipt = statusEl.getAttribute('data-receipt-url');
    list.forEach(function (s) {
      var li = document.createElement('li');
      var code = document.createElement('span');
      code.className = 'offline-sent-ref';
      code.lang = 'en';
      code.dir = 'ltr';
      code.textContent = s.ref;
      var text = document.createElement('span');
      text.className = 'offline-sent-text';
      text.dir = 'auto';
      text.textContent = s.text;
      li.appendChild(code);
      li.appendChild(text);
      if (receipt) {
        var link = document.createElement('a');
        link.href = receipt.replace('REF', encodeURIComponent(s.ref));
        link.textContent = statusEl.getAttribute('data-msg-slip') || 'Print the slip';
        li.appendChild(link);
      }
      ul.appendChild(li);
    });
  }

  /* The need, then its recording if it has one (audio-recorder.js); both requests
   * are idempotent, so an item is retried whole until both are answered. */
  async function sendWithAudio(item, timeout) {
    var answer = await send(item, timeout);
    if (!item.audio || !window.SautiAudio || !answer.definitive ||
        (answer.status !== 200 && answer.status !== 201)) return answer;
    var put = await window.SautiAudio.send(item, timeout, csrfToken());
    if (!put.definitive) return put;
    if (put.status !== 204) return { definitive: true, status: put.status, data: put.data };
    return answer;
  }

  /* -- the status partial -------------------------------------------------- */

  function part(name) { return statusEl ? statusEl.querySelector('[data-offline-' + name + ']') : null; }

  function say(text, ref) {
    if (!statusEl) return;
    part('message').textContent = text || '';
    var refEl = part('ref');
    refEl.textContent = ref || '';
    refEl.hidden = !ref;
  }

  async function render() {
    var waiting = [];
    var rejected = [];
    try {
      waiting = await allOf(OUTBOX);
      rejected = await allOf(REJECTED);
    } catch (e) { /* no IndexedDB: nothing can wait here */ }
    if (!statusEl) return waiting.length;
    statusEl.hidden = false;
    part('count').textContent = String(waiting.length);
    renderSent();
    statusEl.setAttribute('data-waiting', String(waiting.length));
    statusEl.classList.toggle('offline-has-waiting', waiting.length > 0);
    var save = statusEl.querySelector('[data-offline-save]');
    var sendNow = statusEl.querySelector('[data-offline-send]');
    save.disabled = sendNow.disabled = waiting.length === 0;
    var box = part('rejected');
    box.hidden = rejected.length === 0;
    part('rejected-count').textContent = String(rejected.length);
    var list = part('rejected-list');
    list.textContent = '';
    rejected.forEach(function (item) {
      var li = document.createElement('li');
      var details = (item.error && item.error.details) || {};
      var why = Object.keys(details).map(function (k) { return k + ': ' + [].concat(details[k]).join(' '); });
      li.textContent = String(item.body.text || '').slice(0, 80) + ' — ' +
        (why.join('; ') || (item.error && item.error.message) || item.status);
      list.appendChild(li);
    });
    return waiting.length;
  }

  /* -- the queue ------------------------------------------------------------ */

  /* Try again after the current delay; each failed try doubles it (bounded). */
  function scheduleRetry(backoff) {
    clearTimeout(retryTimer);
    var delay = retryDelay;
    if (backoff) retryDelay = Math.min(retryDelay * 2, RETRY_MAX);
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, delay);
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    var sent = 0;
    var failure = null;
    var pending = [];
    try {
      pending = await allOf(OUTBOX);
      for (var i = 0; i < pending.length; i++) {
        var item = pending[i];
        var answer = await sendWithAudio(item, FLUSH_TIMEOUT);
        if (!answer.definitive) { failure = answer; break; }
        if (answer.status === 200 || answer.status === 201) {
          await transact([OUTBOX], 'readwrite', function (s) { return s.delete(item.uuid); });
          if (answer.data && answer.data.ref) rememberSent(item, answer.data.ref);
          sent++;
        } else {
          item.status = answer.status;
          item.error = answer.data;
          await transact([OUTBOX, REJECTED], 'readwrite', function (out, rej) {
            rej.put(item);
            return out.delete(item.uuid);
          });
          say(msg('rejected'));
        }
      }
    } catch (e) {
      failure = { reason: 'storage' };
    } finally {
      flushing = false;
    }
    if (failure && failure.reason === 'auth') say(msg('auth'));
    else if (failure && failure.reason === 'csrf') say(msg('csrf'));
    else if (sent) say(msg('sent', sent));
    var left = await render();
    if (!failure) retryDelay = RETRY_MIN;
    if (left > 0) scheduleRetry(!!failure);
    else { clearTimeout(retryTimer); retryTimer = null; }
  }

  async function keep(item) {
    item.queued_at = new Date().toISOString();
    await transact([OUTBOX], 'readwrite', function (s) { return s.put(item); });
  }

  /* -- the form ------------------------------------------------------------- */

  function freshUuid(form) {
    var field = form.elements.namedItem('uuid');
    if (field) field.value = newUuid();
  }

  // Clear the form for the next need, unless the facilitator already typed it
  // while this one was on its way (SENT: the form as it was sent): then what is
  // there now stays, as a new need (a fresh uuid). Returns true when cleared.
  function clearUnlessTypedOn(form, sent) {
    if (JSON.stringify(bodyOf(form)) !== sent) {
      freshUuid(form);
      return false;
    }
    resetForm(form);
    return true;
  }

  function resetForm(form) {
    form.reset();
    freshUuid(form);
    form.dispatchEvent(new CustomEvent('sauti:form-reset', { bubbles: true }));
    var text = form.elements.namedItem('text');
    if (text && text.focus) text.focus();
  }

  async function onSubmit(event) {
    var form = event.currentTarget;
    event.preventDefault();
    if (form.getAttribute('data-offline-busy')) return;
    form.setAttribute('data-offline-busy', '1');
    var buttons = form.querySelectorAll('button[type=submit], input[type=submit], button:not([type])');
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    try {
      if (!form.elements.namedItem('uuid') || !form.elements.namedItem('uuid').value) freshUuid(form);
      var item = {
        uuid: null,
        queue: form.getAttribute('data-offline-queue'),
        url: endpointOf(form),
        body: bodyOf(form)
      };
      item.uuid = item.body.uuid;
      var sent = JSON.stringify(item.body);
      if (window.SautiAudio) await window.SautiAudio.attach(form, item);
      say(msg('sending'));
      var answer = await sendWithAudio(item, SUBMIT_TIMEOUT);
      if (answer.definitive && (answer.status === 200 || answer.status === 201)) {
        say(msg('saved'), answer.data.ref);
        var cleared = clearUnlessTypedOn(form, sent);
        var receipt = form.getAttribute('data-receipt-url');
        if (receipt && answer.data.ref && cleared) {
          // the printable receipt with the reference code (REF in the URL)
          location.assign(receipt.replace('REF', encodeURIComponent(answer.data.ref)));
          return;
        }
        flush();
      } else if (answer.definitive) {
        // 422 or 409: nothing stored; the server's own form page explains the
        // field errors (the plain form post, as without JavaScript).
        HTMLFormElement.prototype.submit.call(form);
        return;
      } else {
        try {
          await keep(item);
        } catch (e) {
          say(msg('nostore'));
          return;
        }
        say(answer.reason === 'auth' ? msg('auth') : answer.reason === 'csrf' ? msg('csrf') : msg('queued'));
        clearUnlessTypedOn(form, sent);
        await render();
        if (!retryTimer) scheduleRetry(false);
      }
    } finally {
      form.removeAttribute('data-offline-busy');
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
    }
  }

  /* -- save the queue to a file ------------------------------------------- */

  async function saveFile() {
    var items = await allOf(OUTBOX);
    var doc = {
      format: 'sauti-offline-queue',
      version: 1,
      saved_at: new Date().toISOString(),
      origin: location.origin,
      items: items.map(function (i) {
        return { uuid: i.uuid, queue: i.queue, body: i.body, queued_at: i.queued_at };
      })
    };
    var blob = new Blob([JSON.stringify(doc, null, 1)], { type: 'application/json' });
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'sauti-queue-' + doc.saved_at.slice(0, 19).replace(/[:T]/g, '-') + '.json';
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  /* -- start ---------------------------------------------------------------- */

  function registerWorker() {
    if (!statusEl || !('serviceWorker' in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register(statusEl.getAttribute('data-sw-url'), {
      scope: statusEl.getAttribute('data-sw-scope')
    }).catch(function () { /* the queue works without it */ });
  }

  function askPersistence() {
    // StorageManager exists in secure contexts only.
    if (navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then(function (yes) {
        return yes || navigator.storage.persist();
      }).catch(function () {});
    }
  }

  forms.forEach(function (form) {
    // a page served from cache must never reuse a uuid (but a form sent back to be
    // corrected keeps its own: a recording is kept under it, data-keep-uuid)
    if (!form.hasAttribute('data-keep-uuid')) freshUuid(form);
    form.addEventListener('submit', onSubmit);
  });
  if (statusEl) {
    statusEl.querySelector('[data-offline-send]').addEventListener('click', function () { flush(); });
    statusEl.querySelector('[data-offline-save]').addEventListener('click', function () { saveFile(); });
    statusEl.querySelector('[data-offline-dismiss]').addEventListener('click', function () {
      transact([REJECTED], 'readwrite', function (s) { return s.clear(); }).then(render);
    });
    var clearSent = statusEl.querySelector('[data-offline-sent-clear]');
    if (clearSent) {
      clearSent.addEventListener('click', function () {
        try { window.localStorage.removeItem(SENT_KEY); } catch (e) { /* nothing kept */ }
        renderSent();
      });
    }
  }
  window.addEventListener('online', function () { retryDelay = RETRY_MIN; flush(); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') flush();
  });
  registerWorker();
  askPersistence();
  render().then(flush);
})();
