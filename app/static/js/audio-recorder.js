/* Sauti audio notes in the browser (no framework, ES2017).
 *
 * On a capture form with a [data-audio-field], a tablet whose browser can record
 * (MediaRecorder, microphone; secure contexts only) gets Record / Stop buttons. A
 * finished recording is put into the form's own file input, so the plain form post
 * carries it exactly like a file picked from the tablet's recorder app; without
 * MediaRecorder (or on plain HTTP) the file input is all there is.
 *
 * The offline queue (offline-queue.js) asks window.SautiAudio to attach the
 * recording to a queued need (the Blob is kept in IndexedDB with it) and to send it
 * with PUT /api/v1/needs/<uuid>/audio once the need is stored; both requests are
 * idempotent, so a retry after a dropped answer stores the need and its note once. */
(function () {
  'use strict';

  var MAX_SECONDS = 240;       // at 32 kbit/s about 1 MB, well under the node's 2 MB
  var MAX_BYTES = 2097152;
  var BITS = 32000;

  /* The format the first bytes show (the node checks the same). */
  function sniff(bytes) {
    var b = new Uint8Array(bytes);
    var s = function (from, to) { return String.fromCharCode.apply(null, b.slice(from, to)); };
    if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'audio/webm';
    if (s(0, 4) === 'OggS') return 'audio/ogg';
    if (s(4, 8) === 'ftyp') return 'audio/mp4';
    if (s(0, 4) === 'RIFF' && s(8, 12) === 'WAVE') return 'audio/wav';
    if (s(0, 3) === 'ID3') return 'audio/mpeg';
    if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x06)) return 'audio/mpeg';
    return null;
  }

  async function typeOf(blob) {
    var head = await blob.slice(0, 16).arrayBuffer();
    return sniff(head) || blob.type || 'application/octet-stream';
  }

  function fileInput(form) {
    return form.querySelector('[data-audio-field] input[type=file]');
  }

  /* Give the queued ITEM the form's recording (and the audio-only text when nothing
   * was typed). Resolves when done; never throws. */
  async function attach(form, item) {
    var input = fileInput(form);
    var file = input && input.files && input.files[0];
    if (!file) return;
    try {
      item.audio = { blob: file, type: await typeOf(file), size: file.size };
    } catch (e) { return; }
    var marker = form.querySelector('[data-audio-field]').getAttribute('data-audio-only-text');
    if (marker && !String(item.body.text || '').trim()) item.body.text = marker;
  }

  /* PUT the recording of ITEM. {definitive, status, data}; never throws. */
  async function send(item, timeout, csrf) {
    var url = item.url.replace(/\/+$/, '') + '/' + encodeURIComponent(item.uuid) + '/audio';
    var abort = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, timeout * 4) : null;
    var res;
    try {
      res = await fetch(url, {
        method: 'PUT',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'Content-Type': item.audio.type, 'Accept': 'application/json', 'X-CSRFToken': csrf },
        body: item.audio.blob,
        signal: abort ? abort.signal : undefined
      });
    } catch (e) {
      clearTimeout(timer);
      return { definitive: false, reason: 'network' };
    }
    clearTimeout(timer);
    if (res.status === 204) return { definitive: true, status: 204 };
    var data = null;
    try { data = await res.json(); } catch (e) { data = null; }
    var ours = data && typeof data.error === 'string';
    if (ours && [403, 404, 413, 415, 422].indexOf(res.status) >= 0) {
      return { definitive: true, status: res.status, data: data };
    }
    var reason = res.status === 401 || res.status === 403 ? 'auth' :
      res.status === 400 && ours && data.error === 'csrf_failed' ? 'csrf' : 'server';
    return { definitive: false, status: res.status, reason: reason, data: data };
  }

  window.SautiAudio = { attach: attach, send: send, sniff: sniff };

  /* -- the recorder --------------------------------------------------------- */

  function canRecord() {
    return typeof window.MediaRecorder === 'function' && navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === 'function';
  }

  function bestType() {
    var types = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm'];
    for (var i = 0; i < types.length; i++) {
      if (MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(types[i])) return types[i];
    }
    return '';
  }

  /* A picked file the node would refuse is named at once, and taken out of the form. */
  function checkPicked(input, say) {
    input.addEventListener('change', async function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var ok = file.size > 0 && file.size <= MAX_BYTES;
      if (ok) {
        try { ok = !!sniff(await file.slice(0, 16).arrayBuffer()); } catch (e) { ok = false; }
      }
      if (!ok) {
        input.value = '';
        say(file.size > MAX_BYTES ? 'toolong' : 'notaudio');
      }
    });
  }

  function setUp(field) {
    var box = field.querySelector('[data-recorder]');
    var input = field.querySelector('input[type=file]');
    var form = field.closest('form');
    if (!box || !input || !form) return;
    var text = function (key) { return box.getAttribute('data-msg-' + key) || key; };
    var note = document.createElement('p');
    note.className = 'error';
    note.setAttribute('role', 'alert');
    note.hidden = true;
    input.insertAdjacentElement('afterend', note);
    checkPicked(input, function (key) { note.textContent = text(key); note.hidden = false; });
    input.addEventListener('click', function () { note.hidden = true; });
    if (!canRecord()) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.setAttribute('data-record', '');
    var discard = document.createElement('button');
    discard.type = 'button';
    discard.className = 'button';
    discard.setAttribute('data-discard', '');
    discard.textContent = text('discard');
    discard.hidden = true;
    var status = document.createElement('span');
    status.setAttribute('role', 'status');
    status.setAttribute('data-record-status', '');
    var preview = document.createElement('audio');
    preview.controls = true;
    preview.hidden = true;
    box.append(button, status, discard, preview);
    box.hidden = false;

    var recorder = null;
    var stream = null;
    var chunks = [];
    var started = 0;
    var ticker = null;
    var previewUrl = null;

    function idle() {
      button.textContent = text('record');
      button.setAttribute('aria-pressed', 'false');
    }

    function seconds() { return Math.round((Date.now() - started) / 1000); }

    function clear() {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = null;
      preview.removeAttribute('src');
      preview.hidden = true;
      discard.hidden = true;
      status.textContent = '';
      input.value = '';
      idle();
    }

    function keep(blob, type) {
      if (blob.size > MAX_BYTES) { status.textContent = text('toolong'); return; }
      var ext = type.indexOf('ogg') >= 0 ? 'ogg' : type.indexOf('mp4') >= 0 ? 'm4a' : 'webm';
      var file = new File([blob], 'recording.' + ext, { type: type });
      try {
        var transfer = new DataTransfer();
        transfer.items.add(file);
        input.files = transfer.files; // the plain form post carries it too
      } catch (e) { status.textContent = text('failed'); return; }
      previewUrl = URL.createObjectURL(blob);
      preview.src = previewUrl;
      preview.hidden = false;
      discard.hidden = false;
      status.textContent = text('done').replace('{n}', String(seconds()));
    }

    function stopTracks() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
    }

    async function start() {
      clear();
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (e) {
        status.textContent = text('denied');
        return;
      }
      var type = bestType();
      chunks = [];
      try {
        recorder = new MediaRecorder(stream, type ? { mimeType: type, audioBitsPerSecond: BITS } : { audioBitsPerSecond: BITS });
      } catch (e) {
        stopTracks();
        status.textContent = text('failed');
        return;
      }
      recorder.ondataavailable = function (e) { if (e.data && e.data.size) chunks.push(e.data); };
      recorder.onstop = function () {
        clearInterval(ticker);
        stopTracks();
        var kind = (recorder.mimeType || type || 'audio/webm');
        recorder = null;
        idle();
        keep(new Blob(chunks, { type: kind }), kind);
      };
      started = Date.now();
      recorder.start(1000);
      button.textContent = text('stop');
      button.setAttribute('aria-pressed', 'true');
      status.textContent = text('recording').replace('{n}', '0');
      ticker = setInterval(function () {
        var n = seconds();
        status.textContent = text('recording').replace('{n}', String(n));
        if (n >= MAX_SECONDS && recorder) recorder.stop();
      }, 500);
    }

    button.addEventListener('click', function () {
      if (recorder && recorder.state !== 'inactive') recorder.stop();
      else start();
    });
    discard.addEventListener('click', clear);
    input.addEventListener('change', function () {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = null;
      preview.hidden = true;
      discard.hidden = !input.files.length;
      status.textContent = '';
    });
    form.addEventListener('sauti:form-reset', clear);
    idle();
  }

  Array.prototype.forEach.call(document.querySelectorAll('[data-audio-field]'), setUp);
})();
