/* The Flag dialog on thread pages. A post's Flag link opens the form at
   /p/{id}/flag; on a page that imports this module (one line in
   static/js/live.js) the same form opens in a dialog instead and goes to
   POST /api/v1/posts/{id}/flags. Built with DOM calls; the server's
   messages go in as text. */

import { csrf, el } from './live/dom.js';

var reasons = [
  ['spam', 'Spam'],
  ['rude', 'Rude or abusive'],
  ['off_topic', 'Off-topic'],
  ['guideline', 'Breaks a guideline'],
  ['other', 'Something else']
];

function post(url, body) {
  return fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(body)
  }).then(function (res) {
    return res.json().catch(function () { return null; }).then(function (data) {
      if (!res.ok) {
        var msg = data && (data.detail || data.title) || 'The request failed (HTTP ' + res.status + ').';
        if (data && data.errors) {
          msg = Object.keys(data.errors).map(function (k) { return data.errors[k]; }).join('; ') || msg;
        }
        throw new Error(msg);
      }
      return data;
    });
  }, function () {
    throw new Error('Could not reach the server. Check your connection and try again.');
  });
}

function field(labelText, input) {
  var wrap = el('div', 'field');
  var label = el('label', '', labelText);
  label.htmlFor = input.id;
  wrap.appendChild(label);
  wrap.appendChild(input);
  return wrap;
}

function open(a) {
  var id = a.getAttribute('data-post-id');
  var dlg = el('dialog', 'flag-dialog');
  dlg.setAttribute('aria-labelledby', 'flag-dialog-title');
  var form = el('form', 'form flag-form');
  form.appendChild(el('h2', '', 'Flag this post')).id = 'flag-dialog-title';
  form.appendChild(el('p', 'hint', 'Only the moderators see your flag and your note.'));

  var set = el('fieldset', 'field');
  set.appendChild(el('legend', '', 'Why are you flagging it?'));
  reasons.forEach(function (r, i) {
    var label = el('label', 'choice');
    var radio = el('input');
    radio.type = 'radio';
    radio.name = 'reason';
    radio.value = r[0];
    radio.required = true;
    if (i === 0) {
      radio.id = 'flag-dialog-first';
    }
    label.appendChild(radio);
    label.appendChild(document.createTextNode(' ' + r[1]));
    set.appendChild(label);
  });
  form.appendChild(set);

  var section = el('input');
  section.type = 'number';
  section.id = 'flag-dialog-section';
  section.name = 'section';
  section.min = '1';
  section.max = '999';
  section.inputMode = 'numeric';
  form.appendChild(field('Guideline section (when it breaks a guideline)', section));

  var note = el('textarea');
  note.id = 'flag-dialog-note';
  note.name = 'note';
  note.rows = 3;
  note.maxLength = 500;
  form.appendChild(field('Note for the moderators (needed for "Something else")', note));

  var error = el('p', 'field-error');
  error.setAttribute('role', 'alert');
  error.hidden = true;
  form.appendChild(error);

  var actions = el('div', 'form-actions');
  var submit = el('button', 'button', 'Flag post');
  submit.type = 'submit';
  var cancel = el('button', 'button button-ghost', 'Cancel');
  cancel.type = 'button';
  actions.appendChild(submit);
  actions.appendChild(cancel);
  form.appendChild(actions);
  dlg.appendChild(form);

  cancel.addEventListener('click', function () {
    dlg.close();
  });
  dlg.addEventListener('close', function () {
    dlg.remove();
    a.focus();
  });
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var picked = form.querySelector('input[name="reason"]:checked');
    var body = { reason: picked ? picked.value : '', note: note.value };
    if (body.reason === 'guideline') {
      body.section = section.value === '' ? null : Number(section.value);
    }
    submit.setAttribute('aria-busy', 'true');
    error.hidden = true;
    post('/api/v1/posts/' + encodeURIComponent(id) + '/flags', body).then(function () {
      var done = el('span', 'flagged', 'Flagged. Thank you.');
      a.replaceWith(done);
      a = done;
      dlg.close();
    }, function (err) {
      submit.removeAttribute('aria-busy');
      error.textContent = err.message;
      error.hidden = false;
    });
  });

  document.body.appendChild(dlg);
  dlg.showModal();
  document.getElementById('flag-dialog-first').focus();
}

document.addEventListener('click', function (ev) {
  var a = ev.target.closest && ev.target.closest('a.js-flag');
  if (!a || !window.HTMLDialogElement || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) {
    return;
  }
  ev.preventDefault();
  open(a);
});
