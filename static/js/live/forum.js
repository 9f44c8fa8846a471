/* A forum's thread list, live: new threads and replies move their row up
   (pinned first, then newest activity, as the server orders it), with
   reply counts and unread badges. */

import { el, icon, link, num, signedIn, timeEl } from './dom.js';
import { listView, reconcile } from './lists.js';

// pageRange is web/funcs.go pageRange: first, last and cur±2, 0 for a gap.
function pageRange(cur, total) {
  var out = [];
  var lo = Math.max(cur - 2, 1), hi = Math.min(cur + 2, total), prev = 0;
  function emit(p) {
    if (p - prev === 2) {
      out.push(p - 1);
    } else if (p - prev > 2) {
      out.push(0);
    }
    out.push(p);
    prev = p;
  }
  if (lo > 1) {
    emit(1);
  }
  for (var p = lo; p <= hi; p++) {
    emit(p);
  }
  if (hi < total) {
    emit(total);
  }
  return out;
}

function marker(symbol, label) {
  var m = el('span', 'marker');
  m.title = label;
  m.appendChild(icon(symbol));
  m.appendChild(el('span', 'visually-hidden', label + ':'));
  return m;
}

// readState is what the list shows a member about their reading.
function readState(t) {
  var isNew = signedIn && (t.last_read_number === undefined || t.last_read_number === null);
  var unread = signedIn && !isNew ? Math.max(0, t.post_count - t.last_read_number) : 0;
  return { isNew: isNew, unread: unread };
}

function threadSig(t) {
  var s = readState(t);
  return JSON.stringify([t.title, t.pinned, t.locked, t.reply_count, t.last_posted_at, t.last_poster, t.author, t.pages, s.isNew, s.unread]);
}

// buildThread is one <li> of themes/default/pages/forum.html.
function buildThread(t, perPage) {
  var st = readState(t);
  var li = el('li', 'thread' + (t.pinned ? ' is-pinned' : '') + (st.isNew || st.unread > 0 ? ' has-unread' : ''));
  var main = li.appendChild(el('div', 'thread-main'));
  var h = main.appendChild(el('h3', 'thread-title'));
  if (t.pinned) {
    h.appendChild(marker('📌', 'Pinned'));
    h.appendChild(document.createTextNode(' '));
  }
  if (t.locked) {
    h.appendChild(marker('🔒', 'Locked'));
    h.appendChild(document.createTextNode(' '));
  }
  h.appendChild(link('/t/' + t.id, '', t.title));
  if (st.isNew) {
    h.appendChild(document.createTextNode(' '));
    h.appendChild(el('span', 'badge badge-new', 'new'));
  } else if (st.unread > 0) {
    var firstNew = Math.floor(t.last_read_number / perPage) + 1; // the page of post last_read_number+1
    h.appendChild(document.createTextNode(' '));
    h.appendChild(link('/t/' + t.id + '?page=' + firstNew + '#new', 'badge badge-unread', st.unread + ' new'));
  }
  var by = main.appendChild(el('p', 'thread-by', 'by '));
  by.appendChild(link('/u/' + encodeURIComponent(t.author), '', t.author));
  if (t.pages > 1) {
    var pg = by.appendChild(el('span', 'thread-pages', ' · pages:'));
    pageRange(t.pages, t.pages).forEach(function (n) {
      pg.appendChild(document.createTextNode(' '));
      if (n === 0) {
        pg.appendChild(icon('…'));
        return;
      }
      var a = pg.appendChild(link('/t/' + t.id + '?page=' + n, ''));
      a.appendChild(el('span', 'visually-hidden', 'page '));
      a.appendChild(document.createTextNode(String(n)));
    });
  }
  var stats = li.appendChild(el('div', 'thread-stats'));
  var replies = stats.appendChild(el('span', 'thread-replies'));
  replies.appendChild(el('strong', '', t.reply_count));
  replies.appendChild(document.createTextNode(t.reply_count === 1 ? ' reply' : ' replies'));
  var last = stats.appendChild(el('span', 'thread-last'));
  if (t.last_poster) {
    last.appendChild(link('/u/' + encodeURIComponent(t.last_poster), '', t.last_poster));
    last.appendChild(document.createTextNode(' '));
  }
  last.appendChild(timeEl(t.last_posted_at));
  return li;
}

export function forumView(box) {
  var slug = box.getAttribute('data-forum');
  var page = num(box.getAttribute('data-page'), 1);
  var perPage = num(box.getAttribute('data-page-size'), 20);

  function render(list) {
    var threads = list.threads || [];
    if (!threads.length) {
      return; // an emptied list is rare; the next visit shows it
    }
    var ul = box.querySelector('ul.threads');
    var empty = box.querySelector('.empty');
    if (!ul) {
      ul = box.insertBefore(el('ul', 'threads'), empty || box.firstChild);
    }
    if (empty) {
      empty.parentNode.removeChild(empty);
    }
    reconcile(ul, 'li.thread', 'data-thread-id', threads, function (t) { return t.id; }, threadSig, function (t) {
      return buildThread(t, perPage);
    });
  }

  // Every event of the forum channel can change the list.
  return listView('/api/v1/forums/' + encodeURIComponent(slug) + '/threads?page=' + page, render, null);
}
