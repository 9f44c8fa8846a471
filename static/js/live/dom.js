/* Small DOM and fetch helpers shared by the live modules. Text goes in
   through textContent; only a post's server-sanitised `html` field is ever
   set as markup (in posts.js). */

var meta = document.querySelector('meta[name="csrf-token"]');

// Only signed-in pages carry the CSRF token (anonymous pages are cached).
export var csrf = meta ? meta.getAttribute('content') || '' : '';
export var signedIn = !!meta;

// Who reads, for what the server leaves to the page: a post that arrives
// with its event carries no can_edit (signed-in pages name the reader).
var who = document.querySelector('meta[name="parley-viewer"]');
export var me = {
  id: who ? parseInt(who.getAttribute('content'), 10) || 0 : 0,
  staff: !!who && who.getAttribute('data-staff') === 'true'
};

export function el(tag, className, text) {
  var e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined && text !== null) {
    e.textContent = String(text);
  }
  return e;
}

export function link(href, className, text) {
  var a = el('a', className, text);
  a.href = href;
  return a;
}

export function hiddenInput(name, value) {
  var i = document.createElement('input');
  i.type = 'hidden';
  i.name = name;
  i.value = value;
  return i;
}

// icon is an emoji that screen readers skip.
export function icon(text) {
  var i = el('span', '', text);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

export function num(v, dflt) {
  var n = parseInt(v, 10);
  return isNaN(n) ? dflt : n;
}

// jitter is ms to 2·ms, so that many pages reacting to one event do not
// all ask the server at the same instant.
export function jitter(ms) {
  return ms + Math.floor(Math.random() * ms);
}

export function smooth() {
  return window.matchMedia && !window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'smooth' : 'auto';
}

// getJSON reads a same-origin API URL. It resolves with the body, or with
// null for a 404 (gone, or not visible to this viewer: the same to us);
// other failures are retried a few times, then reject.
export function getJSON(url, tries) {
  tries = tries === undefined ? 3 : tries;
  return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } }).then(function (res) {
    if (res.status === 404) {
      return null;
    }
    if (!res.ok) {
      throw new Error('HTTP ' + res.status);
    }
    return res.json();
  }).catch(function (err) {
    if (tries <= 1) {
      throw err;
    }
    return new Promise(function (resolve) {
      setTimeout(resolve, jitter(1000));
    }).then(function () {
      return getJSON(url, tries - 1);
    });
  });
}

// Times read as the server writes them (web/funcs.go timeAgo).
var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function plural(n, unit) {
  return n === 1 ? '1 ' + unit : n + ' ' + unit + 's';
}

export function timeAgo(iso) {
  var t = iso ? new Date(iso) : null;
  if (!t || isNaN(t.getTime()) || t.getUTCFullYear() <= 1) {
    return 'never';
  }
  var d = Date.now() - t.getTime();
  var min = 60000, hour = 60 * min, day = 24 * hour;
  if (d < min) {
    return 'just now';
  }
  if (d < hour) {
    return plural(Math.floor(d / min), 'minute') + ' ago';
  }
  if (d < day) {
    return plural(Math.floor(d / hour), 'hour') + ' ago';
  }
  if (d < 7 * day) {
    return plural(Math.floor(d / day), 'day') + ' ago';
  }
  return months[t.getUTCMonth()] + ' ' + t.getUTCDate() + ', ' + t.getUTCFullYear();
}

// timeEl is <time datetime="RFC 3339, UTC, seconds">5 minutes ago</time>.
export function timeEl(iso) {
  var d = new Date(iso);
  var t = el('time', '', timeAgo(iso));
  t.setAttribute('datetime', isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d+Z$/, 'Z'));
  return t;
}
