/* Parley search box: thread titles suggested as one types in the header's
   search field. Without this module the field is a plain GET form to
   /search, which it stays: Enter without a highlighted suggestion submits
   it.

   The field becomes an ARIA 1.2 combobox with a listbox popup. After two
   characters, and 150 ms without typing, it asks
   GET /api/v1/search/suggest?q= (with the reader's cookie, so a member's
   suggestions include their forums). Only the answer to the newest request
   is shown: older ones arriving late are dropped. Arrow keys move through
   the suggestions, Enter opens the highlighted one, Escape closes the
   list, a click opens one. Text goes in through textContent only.

   Loaded as an ES module with the page's nonce, like live.js. */

var MIN_CHARS = 2;
var DELAY_MS = 150;

var input = document.getElementById('site-search-q');
if (input && input.form && window.fetch) {
  combobox(input);
}

function combobox(input) {
  var form = input.form;
  var list = document.createElement('ul');
  list.id = 'site-search-list';
  list.className = 'site-search-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Suggested threads');
  list.hidden = true;
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  form.appendChild(list);
  form.appendChild(status);

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-expanded', 'false');

  var items = []; // {url, el} of the suggestions shown
  var active = -1; // index of the highlighted one
  var shownFor = ''; // the text the suggestions are for
  var seq = 0; // id of the newest request; answers to older ones are stale
  var timer = 0;
  var inflight = null; // AbortController of the newest request

  function runes(s) {
    return Array.from(s).length;
  }

  function open() {
    if (items.length === 0) {
      return;
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    highlight(-1);
  }

  // forget drops the suggestions and makes any answer on its way stale.
  function forget() {
    seq++;
    clearTimeout(timer);
    if (inflight) {
      inflight.abort();
      inflight = null;
    }
    items = [];
    shownFor = '';
    list.replaceChildren();
    status.textContent = '';
    close();
  }

  function highlight(i) {
    if (active >= 0 && items[active]) {
      items[active].el.setAttribute('aria-selected', 'false');
      items[active].el.classList.remove('is-active');
    }
    active = i;
    if (i < 0 || !items[i]) {
      active = -1;
      input.removeAttribute('aria-activedescendant');
      return;
    }
    var el = items[i].el;
    el.setAttribute('aria-selected', 'true');
    el.classList.add('is-active');
    input.setAttribute('aria-activedescendant', el.id);
    el.scrollIntoView({ block: 'nearest' });
  }

  var leaving = false; // a suggestion was chosen; the page is going there

  function go(i) {
    if (items[i]) {
      leaving = true;
      window.location.assign(items[i].url);
    }
  }

  // threadURL accepts only the site's own thread links.
  function threadURL(s) {
    if (typeof s.url === 'string' && /^\/t\/\d+$/.test(s.url)) {
      return s.url;
    }
    var id = Number(s.thread_id);
    return Number.isInteger(id) && id > 0 ? '/t/' + id : '';
  }

  function show(q, suggestions) {
    list.replaceChildren();
    items = [];
    active = -1;
    input.removeAttribute('aria-activedescendant');
    suggestions.forEach(function (s) {
      var url = threadURL(s);
      if (!url) {
        return;
      }
      var li = document.createElement('li');
      li.id = 'site-search-opt-' + items.length;
      li.className = 'site-search-option';
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var title = document.createElement('span');
      title.className = 'site-search-title';
      title.textContent = String(s.title || '');
      li.appendChild(title);
      if (s.forum && s.forum.name) {
        var where = document.createElement('span');
        where.className = 'site-search-forum';
        where.textContent = String(s.forum.name);
        li.appendChild(where);
      }
      items.push({ url: url, el: li });
      list.appendChild(li);
    });
    shownFor = q;
    if (items.length === 0) {
      status.textContent = 'No matching thread titles. Press Enter to search all posts.';
      close();
      return;
    }
    status.textContent = items.length === 1 ? '1 suggestion' : items.length + ' suggestions';
    open();
  }

  function ask(q) {
    var mine = ++seq;
    if (inflight) {
      inflight.abort();
    }
    var ctrl = window.AbortController ? new AbortController() : null;
    inflight = ctrl;
    fetch('/api/v1/search/suggest?q=' + encodeURIComponent(q), {
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' },
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (resp) {
      if (!resp.ok) {
        throw new Error('HTTP ' + resp.status);
      }
      return resp.json();
    }).then(function (body) {
      if (mine !== seq || input.value.trim() !== q) {
        return; // a newer request was made, or the text changed since
      }
      inflight = null;
      show(q, body && Array.isArray(body.suggestions) ? body.suggestions : []);
    }).catch(function () {
      // Suggestions are a convenience: on any failure the form still works.
      if (mine === seq) {
        inflight = null;
      }
    });
  }

  input.addEventListener('input', function () {
    var q = input.value.trim();
    if (runes(q) < MIN_CHARS) {
      forget();
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(function () {
      ask(q);
    }, DELAY_MS);
  });

  input.addEventListener('keydown', function (e) {
    if (e.isComposing) {
      return;
    }
    switch (e.key) {
      case 'ArrowDown':
      case 'Down':
        if (items.length === 0) {
          return;
        }
        e.preventDefault();
        if (list.hidden) {
          open();
          highlight(0);
        } else {
          highlight((active + 1) % items.length);
        }
        break;
      case 'ArrowUp':
      case 'Up':
        if (items.length === 0) {
          return;
        }
        e.preventDefault();
        if (list.hidden) {
          open();
        }
        highlight(active <= 0 ? items.length - 1 : active - 1);
        break;
      case 'Enter':
        if (!list.hidden && active >= 0) {
          e.preventDefault();
          go(active);
        }
        break; // otherwise the form searches all posts
      case 'Escape':
      case 'Esc':
        if (!list.hidden) {
          e.preventDefault();
          close();
        }
        break;
      case 'Tab':
        close();
        break;
    }
  });

  // Keep the focus in the field while the pointer picks a suggestion, so
  // the blur below does not close the list before the click lands.
  list.addEventListener('mousedown', function (e) {
    e.preventDefault();
  });
  list.addEventListener('click', function (e) {
    var li = e.target.closest('[role="option"]');
    if (!li) {
      return;
    }
    for (var i = 0; i < items.length; i++) {
      if (items[i].el === li) {
        go(i);
        return;
      }
    }
  });
  list.addEventListener('mousemove', function (e) {
    var li = e.target.closest('[role="option"]');
    for (var i = 0; li && i < items.length; i++) {
      if (items[i].el === li && i !== active) {
        highlight(i);
      }
    }
  });

  // Enter on a highlighted suggestion opens it, not the results page: the
  // keydown above is enough in browsers, but a keypress that arrives on its
  // own (some virtual keyboards, automation) would still submit the form.
  form.addEventListener('submit', function (e) {
    if (leaving || (!list.hidden && active >= 0)) {
      e.preventDefault();
      if (!leaving) {
        go(active);
      }
    }
  });

  input.addEventListener('blur', close);
  input.addEventListener('focus', function () {
    if (shownFor && shownFor === input.value.trim()) {
      open();
    }
  });
  // Back from a suggestion (bfcache): the old list should not pop up.
  window.addEventListener('pageshow', function () {
    leaving = false;
    close();
  });
}
