/* The home page's forum table, live: thread and post counts, last
   activity and unread badges. */

import { el, link, signedIn, timeEl } from './dom.js';
import { listView, reconcile } from './lists.js';

var visibilityLabels = { members: 'Members only', staff: 'Staff' };

function forumSig(f) {
  return JSON.stringify([f.name, f.description, f.visibility, f.thread_count, f.post_count, f.last_posted_at, signedIn ? f.unread : 0]);
}

// buildForum is one <tr> of themes/default/pages/home.html.
function buildForum(f) {
  var tr = el('tr');
  var th = tr.appendChild(el('th', 'forum-cell'));
  th.setAttribute('scope', 'row');
  th.appendChild(link('/f/' + encodeURIComponent(f.slug), 'forum-name', f.name));
  var vis = f.visibility || 'public';
  if (vis !== 'public') {
    th.appendChild(document.createTextNode(' '));
    th.appendChild(el('span', 'badge badge-muted', visibilityLabels[vis] || (vis.indexOf('group:') === 0 ? 'Private' : vis)));
  }
  if (signedIn && f.unread > 0) {
    th.appendChild(document.createTextNode(' '));
    th.appendChild(el('span', 'badge badge-unread', f.unread + ' unread'));
  }
  if (f.description) {
    th.appendChild(document.createTextNode(' '));
    th.appendChild(el('p', 'forum-desc', f.description));
  }
  [['Threads', f.thread_count], ['Posts', f.post_count]].forEach(function (c) {
    tr.appendChild(el('td', 'num', c[1])).setAttribute('data-label', c[0]);
  });
  var last = tr.appendChild(el('td'));
  last.setAttribute('data-label', 'Last activity');
  if (f.last_posted_at) {
    last.appendChild(timeEl(f.last_posted_at));
  } else {
    last.textContent = 'never';
  }
  return tr;
}

export function homeView(box) {
  function render(data) {
    var forums = data.forums || [];
    var tbody = box.querySelector('table.forums tbody');
    if (!tbody || !forums.length) {
      return; // a site's first forum appears on the next visit
    }
    reconcile(tbody, 'tr', 'data-forum', forums, function (f) { return f.slug; }, forumSig, buildForum);
  }
  return listView('/api/v1/forums', render, ['thread.created', 'post.created', 'post.deleted', 'forum.created', 'forum.updated']);
}
