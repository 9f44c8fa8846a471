/* Parley: small progressive enhancements. Every feature here also works
   without JavaScript through plain links and forms; this file only makes
   them quicker (markdown preview, quoting, reactions without a reload) and
   asks before deleting. Loaded with defer, so the DOM is ready. */
(function () {
  'use strict';

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') || '' : '';
  var alertBox = document.getElementById('js-alert');

  // ---- helpers -----------------------------------------------------------

  // problemDetail is the main message of an RFC 9457 problem body.
  function problemDetail(status, data) {
    if (data && typeof data.detail === 'string' && data.detail) {
      return data.detail;
    }
    if (data && typeof data.title === 'string' && data.title) {
      return data.title;
    }
    return 'The request failed (HTTP ' + status + ').';
  }

  // problemFields lists the per-field messages of a problem body, if any.
  function problemFields(data, detail) {
    var out = [];
    if (data && data.errors && typeof data.errors === 'object') {
      Object.keys(data.errors).forEach(function (field) {
        var m = String(data.errors[field] || '');
        if (m && m !== detail && out.indexOf(m) < 0) {
          out.push(m);
        }
      });
    }
    return out;
  }

  // showProblem writes an error into el as text: the detail, then the field
  // messages as a list.
  function showProblem(el, err) {
    el.textContent = '';
    var p = document.createElement('p');
    p.textContent = err.detail || err.message;
    el.appendChild(p);
    if (err.fields && err.fields.length) {
      var ul = document.createElement('ul');
      err.fields.forEach(function (m) {
        var li = document.createElement('li');
        li.textContent = m;
        ul.appendChild(li);
      });
      el.appendChild(ul);
    }
  }

  // request sends a same-origin JSON request; it resolves with the decoded
  // body and rejects with an Error whose message is fit to show.
  function request(method, url, body) {
    var headers = { 'Accept': 'application/json', 'X-CSRF-Token': csrf };
    var opts = { method: method, credentials: 'same-origin', headers: headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        if (text) {
          try { data = JSON.parse(text); } catch (e) { data = null; }
        }
        if (!res.ok) {
          var detail = problemDetail(res.status, data);
          var fields = problemFields(data, detail);
          var err = new Error(fields.length ? detail + ' ' + fields.join('; ') : detail);
          err.detail = detail;
          err.fields = fields;
          throw err;
        }
        return data;
      });
    }, function () {
      throw new Error('Could not reach the server. Check your connection and try again.');
    });
  }

  function showAlert(message) {
    if (!alertBox) {
      window.alert(message);
      return;
    }
    alertBox.textContent = '';
    var text = document.createElement('span');
    text.className = 'alert-text';
    text.textContent = message;
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'alert-close';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '×';
    close.addEventListener('click', clearAlert);
    alertBox.appendChild(text);
    alertBox.appendChild(close);
    alertBox.hidden = false;
  }

  function clearAlert() {
    if (alertBox) {
      alertBox.hidden = true;
      alertBox.textContent = '';
    }
  }

  // Busy controls ignore clicks but stay enabled, so keyboard focus stays put.
  function busy(el) {
    return el.getAttribute('aria-busy') === 'true';
  }

  function setBusy(els, on) {
    els.forEach(function (el) {
      if (on) {
        el.setAttribute('aria-busy', 'true');
      } else {
        el.removeAttribute('aria-busy');
      }
    });
  }

  function smooth() {
    return window.matchMedia && !window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'smooth' : 'auto';
  }

  // ---- (a) markdown preview --------------------------------------------

  // Preview buttons need this script, so they start hidden.
  Array.prototype.forEach.call(document.querySelectorAll('.js-preview'), function (btn) {
    btn.hidden = false;
  });

  function previewBox(btn) {
    var scope = btn.form || btn.closest('form') || document;
    return scope.querySelector('.preview');
  }

  function preview(btn) {
    var area = document.getElementById(btn.getAttribute('data-target') || '');
    var box = previewBox(btn);
    if (!area || !box || busy(btn)) {
      return;
    }
    setBusy([btn], true);
    box.setAttribute('aria-busy', 'true');
    request('POST', '/api/v1/preview', { body: area.value }).then(function (data) {
      box.classList.remove('is-error');
      // The server renders and sanitizes this HTML (the same renderer that
      // stores posts), so it is inserted as markup.
      box.innerHTML = data && typeof data.html === 'string' ? data.html : '';
      box.hidden = false;
    }).catch(function (err) {
      box.classList.add('is-error');
      showProblem(box, err);
      box.hidden = false;
    }).then(function () {
      setBusy([btn], false);
      box.removeAttribute('aria-busy');
    });
  }

  // ---- (b) quoting -------------------------------------------------------

  function quote(link) {
    var composer = document.getElementById('composer');
    var id = link.getAttribute('data-post-id');
    if (!composer || !id) {
      return false; // follow the link: the server fills the composer
    }
    request('GET', '/api/v1/posts/' + encodeURIComponent(id) + '/quote').then(function (data) {
      var md = data && typeof data.markdown === 'string' ? data.markdown.replace(/\s+$/, '') : '';
      var cur = composer.value.replace(/\s+$/, '');
      composer.value = (cur ? cur + '\n\n' : '') + md + '\n\n';
      composer.scrollIntoView({ block: 'center', behavior: smooth() });
      try { composer.focus({ preventScroll: true }); } catch (e) { composer.focus(); }
      var end = composer.value.length;
      composer.setSelectionRange(end, end);
      composer.dispatchEvent(new Event('input', { bubbles: true }));
    }).catch(function (err) {
      showAlert(err.message);
    });
    return true;
  }

  // ---- (c) reactions -----------------------------------------------------

  function reactionButtons(postId) {
    return Array.prototype.filter.call(document.querySelectorAll('.js-react'), function (b) {
      return b.getAttribute('data-post-id') === postId;
    });
  }

  function react(btn) {
    if (busy(btn)) {
      return;
    }
    var postId = btn.getAttribute('data-post-id');
    var kind = btn.getAttribute('data-kind');
    var pressed = btn.getAttribute('aria-pressed') === 'true';
    var buttons = reactionButtons(postId);
    setBusy(buttons, true);
    var url = '/api/v1/posts/' + encodeURIComponent(postId) + '/reactions/' + encodeURIComponent(kind);
    request(pressed ? 'DELETE' : 'PUT', url).then(function (post) {
      var counts = (post && post.reactions) || {};
      var mine = (post && post.my_reaction) || '';
      buttons.forEach(function (b) {
        var k = b.getAttribute('data-kind');
        var count = b.querySelector('.count');
        if (count) {
          count.textContent = String(counts[k] || 0);
        }
        b.setAttribute('aria-pressed', k === mine ? 'true' : 'false');
      });
      clearAlert();
    }).catch(function (err) {
      showAlert(err.message);
    }).then(function () {
      setBusy(buttons, false);
    });
  }

  // ---- wiring ------------------------------------------------------------

  document.addEventListener('click', function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) {
      return;
    }
    var target = ev.target instanceof Element ? ev.target : null;
    if (!target) {
      return;
    }
    var btn = target.closest('.js-preview');
    if (btn) {
      ev.preventDefault();
      preview(btn);
      return;
    }
    var link = target.closest('a.js-quote');
    if (link && quote(link)) {
      ev.preventDefault();
    }
  });

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var reactBtn = form.querySelector('button.js-react');
    if (reactBtn) {
      ev.preventDefault();
      react(reactBtn);
      return;
    }
    // (d) ask before destructive actions.
    var submitter = ev.submitter || form.querySelector('.js-confirm');
    if (submitter && submitter.classList && submitter.classList.contains('js-confirm')) {
      var question = submitter.getAttribute('data-confirm') || 'Are you sure?';
      if (!window.confirm(question)) {
        ev.preventDefault();
      }
    }
  });
}());
