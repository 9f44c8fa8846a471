/* The review queue (/mod/queue), live. The page works without this file:
   every button is a plain form. With it:
   - the list follows the "staff" channel of the page's websocket (the one
     static/js/live.js opens; this module subscribes before live.js starts
     it): on review.* events it reloads the list and the figures through the
     API, so new items arrive, claims show who holds them and items resolved
     elsewhere vanish without a reload;
   - claims and actions go through the JSON API, and keys drive the page
     (documented on it): j/k move, c claims or releases, a h d x l act, n
     focuses the note.
   Cards are built with DOM calls in the server template's markup; text goes
   in through textContent, only a post's server-sanitised html as markup. */

import { csrf, el, link, me } from './live/dom.js';
import { follow } from './live/socket.js';

var root = document.getElementById('mod-queue');
var list = root && root.querySelector('.js-mod-items');

var labels = {
  reasons: { spam: 'Spam', rude: 'Rude or abusive', off_topic: 'Off-topic', guideline: 'Breaks a guideline', other: 'Something else' },
  actions: { approve: ['Approve', 'a'], hide: ['Hide', 'h'], delete: ['Delete', 'd'], dismiss: ['Dismiss', 'x'], lock: ['Lock thread', 'l'] },
  roles: { moderator: 'Moderator', manager: 'Community manager', admin: 'Admin' }
};
var keys = { a: 'approve', h: 'hide', d: 'delete', x: 'dismiss', l: 'lock' };

// request sends a same-origin JSON request and resolves with the body; a
// refusal rejects with the server's problem detail.
function request(method, url, body) {
  var headers = { 'Accept': 'application/json', 'X-CSRF-Token': csrf };
  var opts = { method: method, credentials: 'same-origin', headers: headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  return fetch(url, opts).then(function (res) {
    return res.json().catch(function () { return null; }).then(function (data) {
      if (!res.ok) {
        var msg = data && (data.detail || data.title) || 'The request failed (HTTP ' + res.status + ').';
        if (data && data.errors) {
          msg += ' ' + Object.keys(data.errors).map(function (k) { return data.errors[k]; }).join('; ');
        }
        var err = new Error(msg);
        err.status = res.status;
        throw err;
      }
      return data;
    });
  }, function () {
    throw new Error('Could not reach the server. Check your connection and try again.');
  });
}

function kbd(text) {
  return el('kbd', '', text);
}

function hhmm(iso) {
  var d = new Date(iso);
  return String(d.getUTCHours()).padStart(2, '0') + ':' + String(d.getUTCMinutes()).padStart(2, '0');
}

function ago(iso) {
  var m = Math.floor((Date.now() - new Date(iso).getTime()) / 60000);
  if (m < 1) {
    return 'just now';
  }
  if (m < 60) {
    return m === 1 ? '1 minute ago' : m + ' minutes ago';
  }
  var h = Math.floor(m / 60);
  if (h < 24) {
    return h === 1 ? '1 hour ago' : h + ' hours ago';
  }
  var d = Math.floor(h / 24);
  return d === 1 ? '1 day ago' : d + ' days ago';
}

function liveClaim(it) {
  return it.claim && new Date(it.claim.until).getTime() > Date.now() ? it.claim : null;
}

function hiddenInput(name, value) {
  var i = document.createElement('input');
  i.type = 'hidden';
  i.name = name;
  i.value = value;
  return i;
}

function claimText(p, claim) {
  p.setAttribute('data-claimed-by', claim ? String(claim.by.id) : '');
  if (claim) {
    p.setAttribute('data-until', claim.until);
    p.textContent = 'Claimed by ' + (claim.by.id === me.id ? 'you' : claim.by.username) + ' until ' + hhmm(claim.until) + ' UTC';
  } else {
    p.removeAttribute('data-until');
    p.textContent = 'Not claimed';
  }
}

// card builds one item in the markup of mod_queue.html.
function card(it) {
  var claim = liveClaim(it);
  var li = el('li', 'mod-item card' + (claim ? (claim.by.id === me.id ? ' is-mine' : ' is-claimed') : ''));
  li.id = 'item-' + it.id;
  li.setAttribute('data-item-id', String(it.id));
  li.tabIndex = -1;

  var head = el('header', 'mod-item-head');
  head.appendChild(el('span', 'badge badge-muted', it.kind));
  if (it.forum) {
    head.appendChild(document.createTextNode(' '));
    head.appendChild(link('/f/' + encodeURIComponent(it.forum.slug), '', it.forum.name));
    head.appendChild(document.createTextNode(' ›'));
  }
  if (it.thread) {
    head.appendChild(document.createTextNode(' '));
    head.appendChild(link('/t/' + it.thread.id, '', it.thread.title));
  }
  if (it.post) {
    head.appendChild(document.createTextNode(' '));
    head.appendChild(link(it.post.url, 'permalink', '#' + it.post.number));
    if (it.post.hidden) {
      head.appendChild(document.createTextNode(' '));
      head.appendChild(el('span', 'badge', 'hidden'));
    }
    if (it.post.deleted) {
      head.appendChild(document.createTextNode(' '));
      head.appendChild(el('span', 'badge', 'deleted'));
    }
  }
  li.appendChild(head);

  var meta = el('p', 'mod-item-meta');
  if (it.author) {
    meta.appendChild(document.createTextNode('by '));
    meta.appendChild(link('/u/' + encodeURIComponent(it.author.username), '', it.author.username));
    var role = labels.roles[it.author.role];
    meta.appendChild(document.createTextNode((role ? ' (' + role + ')' : '') + ' · trust level ' + it.author.trust_level + ' · '));
  }
  meta.appendChild(document.createTextNode('waiting '));
  var t = el('time', '', ago(it.created_at));
  t.setAttribute('datetime', it.created_at);
  meta.appendChild(t);
  meta.appendChild(document.createTextNode(' · weight ' + it.weight + ' · priority ' + it.priority));
  li.appendChild(meta);

  var c = el('p', 'mod-claim');
  claimText(c, claim);
  li.appendChild(c);

  if (it.post) {
    var body = el('div', 'post-body mod-post');
    body.innerHTML = it.post.html; // sanitised by the server (package render)
    li.appendChild(body);
  }

  var flags = el('ul', 'mod-flags');
  (it.flags || []).forEach(function (f) {
    var item = el('li');
    item.appendChild(link('/u/' + encodeURIComponent(f.reporter.username), '', f.reporter.username));
    var role = labels.roles[f.reporter.role];
    item.appendChild(document.createTextNode(' (trust level ' + f.reporter.trust_level + (role ? ', ' + role : '') + '): ' +
      (labels.reasons[f.reason] || f.reason)));
    if (f.section) {
      item.appendChild(document.createTextNode(' ('));
      item.appendChild(link('/guidelines#section-' + Number(f.section), '', 'section ' + f.section));
      item.appendChild(document.createTextNode(')'));
    }
    if (f.note) {
      item.appendChild(document.createTextNode(' — '));
      item.appendChild(el('q', '', f.note));
    }
    flags.appendChild(item);
  });
  li.appendChild(flags);

  if (it.own) {
    li.appendChild(el('p', 'hint', 'This is your own post: another moderator must review it.'));
  } else {
    var form = el('form', 'mod-actions');
    form.method = 'post';
    form.action = '/mod/queue/' + it.id + '/act';
    form.appendChild(hiddenInput('_csrf', csrf));
    var note = el('label', 'mod-note');
    note.appendChild(el('span', '', 'Note (optional, staff only)'));
    note.appendChild(document.createTextNode(' '));
    var input = el('input');
    input.type = 'text';
    input.name = 'note';
    input.maxLength = 1000;
    note.appendChild(input);
    form.appendChild(note);
    var buttons = el('div', 'mod-buttons');
    (it.actions || []).forEach(function (a) {
      var l = labels.actions[a];
      if (!l) {
        return;
      }
      var cls = a === 'hide' || a === 'delete' ? ' button-danger' : a === 'approve' ? '' : ' button-secondary';
      var b = el('button', 'button button-small' + cls, l[0] + ' ');
      b.type = 'submit';
      b.name = 'action';
      b.value = a;
      b.setAttribute('data-action', a);
      b.appendChild(kbd(l[1]));
      buttons.appendChild(b);
    });
    form.appendChild(buttons);
    li.appendChild(form);

    var cf = el('form', 'mod-claim-form');
    cf.method = 'post';
    cf.action = '/mod/queue/' + it.id + '/claim';
    cf.appendChild(hiddenInput('_csrf', csrf));
    var mine = claim && claim.by.id === me.id;
    var cb = el('button', 'link-button', (mine ? 'Release' : 'Claim') + ' ');
    cb.type = 'submit';
    if (mine) {
      cb.name = 'release';
      cb.value = '1';
    }
    cb.setAttribute('data-claim', mine ? 'release' : 'claim');
    cb.appendChild(kbd('c'));
    cf.appendChild(cb);
    li.appendChild(cf);
  }
  var err = el('p', 'mod-item-error');
  err.setAttribute('role', 'alert');
  err.hidden = true;
  li.appendChild(err);
  return li;
}

// ---- selection and the keyboard ------------------------------------------

function cards() {
  return Array.prototype.slice.call(list.querySelectorAll('.mod-item'));
}

var selectedID = null;

function select(li, focus) {
  cards().forEach(function (c) {
    c.classList.toggle('is-selected', c === li);
  });
  selectedID = li ? li.getAttribute('data-item-id') : null;
  if (li && focus) {
    li.focus({ preventScroll: true });
    li.scrollIntoView({ block: 'nearest' });
  }
}

function selected() {
  return selectedID ? document.getElementById('item-' + selectedID) : null;
}

function move(step) {
  var all = cards();
  if (!all.length) {
    return;
  }
  var i = all.indexOf(selected());
  i = i < 0 ? 0 : Math.max(0, Math.min(all.length - 1, i + step));
  select(all[i], true);
}

function showError(li, msg) {
  var p = li && li.querySelector('.mod-item-error');
  if (p) {
    p.textContent = msg;
    p.hidden = !msg;
  }
}

function status(msg) {
  var s = root.querySelector('.mod-status');
  if (s) {
    s.textContent = msg;
  }
}

function itemID(li) {
  return li.getAttribute('data-item-id');
}

function claim(li) {
  var btn = li.querySelector('[data-claim]');
  if (!btn) {
    return;
  }
  var release = btn.getAttribute('data-claim') === 'release';
  showError(li, '');
  request(release ? 'DELETE' : 'POST', '/api/v1/mod/queue/' + itemID(li) + '/claim').then(function (it) {
    replace(li, it);
    status(release ? 'Released.' : 'Claimed.');
  }, function (err) {
    showError(li, err.message);
  });
}

function act(li, action) {
  var btn = li.querySelector('button[data-action="' + action + '"]');
  if (!btn) {
    showError(li, 'You cannot ' + action + ' this item.');
    return;
  }
  var note = li.querySelector('input[name="note"]');
  showError(li, '');
  btn.setAttribute('aria-busy', 'true');
  request('POST', '/api/v1/mod/queue/' + itemID(li) + '/actions', { action: action, note: note ? note.value : '' }).then(function (it) {
    if (it.status === 'resolved') {
      var next = li.nextElementSibling || li.previousElementSibling;
      remove(li);
      if (next) {
        select(next, true);
      }
      status('Resolved: ' + it.resolution + '.');
    } else {
      replace(li, it);
      status('Done: ' + action + '.');
    }
    refresh();
  }, function (err) {
    btn.removeAttribute('aria-busy');
    showError(li, err.message);
  });
}

function replace(li, it) {
  var fresh = card(it);
  var was = li.classList.contains('is-selected');
  li.replaceWith(fresh);
  if (was) {
    select(fresh, true);
  }
  scheduleExpiry();
}

function remove(li) {
  if (selectedID === itemID(li)) {
    selectedID = null;
  }
  li.remove();
  empty();
}

function empty() {
  var e = root.querySelector('.js-mod-empty');
  if (e) {
    e.hidden = list.children.length > 0;
  }
}

document.addEventListener('keydown', function (ev) {
  if (!list || ev.defaultPrevented || ev.metaKey || ev.ctrlKey || ev.altKey) {
    return;
  }
  var t = ev.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
    if (ev.key === 'Escape' && t.blur) {
      t.blur();
    }
    return;
  }
  // Keys act on the card that has the focus, else on the selected one.
  var li = t && t.closest ? t.closest('.mod-item') : null;
  if (li) {
    select(li, false);
  } else {
    li = selected();
  }
  switch (ev.key) {
  case 'j':
    move(1);
    break;
  case 'k':
    move(-1);
    break;
  case 'c':
    if (li) {
      claim(li);
    }
    break;
  case 'n':
    if (li && li.querySelector('input[name="note"]')) {
      li.querySelector('input[name="note"]').focus();
    }
    break;
  default:
    if (keys[ev.key] && li) {
      act(li, keys[ev.key]);
      break;
    }
    return;
  }
  ev.preventDefault();
});

if (list) {
  // Buttons go through the API too; a click selects its card.
  list.addEventListener('submit', function (ev) {
    var li = ev.target.closest('.mod-item');
    if (!li) {
      return;
    }
    ev.preventDefault();
    select(li, false);
    var b = ev.submitter;
    if (ev.target.classList.contains('mod-claim-form')) {
      claim(li);
    } else if (b && b.getAttribute('data-action')) {
      act(li, b.getAttribute('data-action'));
    }
  });
  list.addEventListener('click', function (ev) {
    var li = ev.target.closest('.mod-item');
    if (li && !ev.target.closest('a, button, input, label')) {
      select(li, false);
    }
  });
}

// ---- live ------------------------------------------------------------------

var refreshTimer = 0;
var expiryTimer = 0;

// refresh reloads the first page of the list (with the page's filters) and
// the figures, once for a burst of events.
function refresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(function () {
    var qs = new URLSearchParams(location.search);
    qs.delete('flash');
    qs.delete('cursor');
    request('GET', '/api/v1/mod/queue' + (qs.toString() ? '?' + qs.toString() : '')).then(render, function (err) {
      status(err.message);
    });
    request('GET', '/api/v1/mod/stats').then(figures, function () { /* the next event tries again */ });
  }, 150);
}

function render(q) {
  var keep = selectedID;
  var focused = document.activeElement;
  var typing = focused && focused.name === 'note' && focused.value ? { id: itemID(focused.closest('.mod-item')), value: focused.value } : null;
  var frag = document.createDocumentFragment();
  (q.items || []).forEach(function (it) {
    frag.appendChild(card(it));
  });
  list.textContent = '';
  list.appendChild(frag);
  empty();
  if (keep && document.getElementById('item-' + keep)) {
    select(document.getElementById('item-' + keep), false);
  } else {
    select(cards()[0] || null, false);
  }
  if (typing) {
    var again = document.querySelector('#item-' + typing.id + ' input[name="note"]');
    if (again) {
      again.value = typing.value;
      again.focus();
    }
  }
  scheduleExpiry();
}

function duration(s) {
  if (s < 60) {
    return 'under a minute';
  }
  if (s < 3600) {
    return Math.floor(s / 60) + ' min';
  }
  if (s < 48 * 3600) {
    return Math.floor(s / 3600) + ' h ' + Math.floor(s % 3600 / 60) + ' min';
  }
  return Math.floor(s / 86400) + ' days';
}

function figures(st) {
  var set = function (name, text) {
    var dd = document.querySelector('[data-figure="' + name + '"]');
    if (dd) {
      dd.textContent = text;
    }
  };
  set('waiting', String(st.waiting));
  set('oldest', st.oldest_at ? duration(st.oldest_age_seconds) : '—');
  set('median', typeof st.median_first_action_seconds === 'number' ? duration(st.median_first_action_seconds) : '—');
  set('moderators', (st.moderators || []).map(function (m) { return m.user.username + ': ' + m.actions; }).join(', ') || 'none yet');
}

// A claim nobody renews lapses on the server without an event: redraw the
// card when the earliest one shown runs out.
function scheduleExpiry() {
  clearTimeout(expiryTimer);
  var next = Infinity;
  list.querySelectorAll('.mod-claim[data-until]').forEach(function (p) {
    next = Math.min(next, new Date(p.getAttribute('data-until')).getTime());
  });
  if (next < Infinity) {
    expiryTimer = setTimeout(refresh, Math.max(0, next - Date.now()) + 500);
  }
}

var view = {
  event: function (type, d) {
    if (type.indexOf('review.') !== 0) {
      return;
    }
    var li = d.item_id ? document.getElementById('item-' + d.item_id) : null;
    if (li && type === 'review.resolved') {
      remove(li); // at once; the reload confirms
    } else if (li && type === 'review.claimed' && d.claimed_by) {
      claimText(li.querySelector('.mod-claim'), { by: d.claimed_by, until: d.claimed_until });
      li.classList.toggle('is-claimed', d.claimed_by.id !== me.id);
      li.classList.toggle('is-mine', d.claimed_by.id === me.id);
    } else if (li && type === 'review.released') {
      claimText(li.querySelector('.mod-claim'), null);
      li.classList.remove('is-claimed', 'is-mine');
    }
    refresh();
  },
  resync: refresh
};

if (root && list && window.WebSocket && window.fetch) {
  var raw = root.getAttribute('data-last-event');
  var since = raw && /^\d+$/.test(raw) ? parseInt(raw, 10) : null;
  if (root.getAttribute('data-snapshot') !== 'true') {
    follow('staff', since, view); // live.js opens the socket
  }
  scheduleExpiry();
  var first = cards()[0];
  if (first) {
    select(first, false);
  }
}
