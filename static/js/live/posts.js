/* One post as the "post" partial (themes/default/partials/post.html)
   renders it, built from the JSON API's post. */

import { csrf, el, hiddenInput, link, me, signedIn, timeAgo, timeEl } from './dom.js';

// Reactions in display order; icons and labels as in web/funcs.go.
var reactionKinds = [
  { kind: 'like', icon: '👍', label: 'Like' },
  { kind: 'thanks', icon: '🙏', label: 'Thanks' },
  { kind: 'insightful', icon: '💡', label: 'Insightful' }
];

var roleLabels = { moderator: 'Moderator', manager: 'Community manager', admin: 'Admin' };

function isOfficial(role) {
  return role === 'manager' || role === 'admin';
}

// buildReactions fills box: buttons for members, counts only (of the kinds
// that have any) for visitors. The buttons are plain forms that parley.js
// sends without a reload, like the server-rendered ones.
function buildReactions(box, p) {
  box.textContent = '';
  var counts = p.reactions || {};
  reactionKinds.forEach(function (r) {
    var n = counts[r.kind] || 0;
    if (signedIn) {
      var form = el('form', 'react-form');
      form.method = 'post';
      form.action = '/p/' + p.id + '/react';
      form.appendChild(hiddenInput('_csrf', csrf));
      form.appendChild(hiddenInput('kind', r.kind));
      var b = el('button', 'react js-react');
      b.type = 'submit';
      b.setAttribute('data-post-id', String(p.id));
      b.setAttribute('data-kind', r.kind);
      b.setAttribute('aria-pressed', p.my_reaction === r.kind ? 'true' : 'false');
      b.appendChild(el('span', 'react-icon', r.icon)).setAttribute('aria-hidden', 'true');
      b.appendChild(document.createTextNode(' '));
      b.appendChild(el('span', 'react-label', r.label));
      b.appendChild(document.createTextNode(' '));
      b.appendChild(el('span', 'count', n));
      form.appendChild(b);
      box.appendChild(form);
    } else if (n > 0) {
      var s = el('span', 'react react-static');
      s.appendChild(el('span', 'react-icon', r.icon)).setAttribute('aria-hidden', 'true');
      s.appendChild(document.createTextNode(' '));
      s.appendChild(el('span', 'visually-hidden', r.label));
      s.appendChild(document.createTextNode(' '));
      s.appendChild(el('span', 'count', n));
      box.appendChild(s);
    }
  });
}

// updateReactions changes counts in place, so a focused button keeps focus.
export function updateReactions(art, p) {
  var box = art.querySelector('.reactions');
  if (!box) {
    return;
  }
  if (!signedIn) {
    buildReactions(box, p);
    return;
  }
  var counts = p.reactions || {};
  Array.prototype.forEach.call(box.querySelectorAll('.js-react'), function (b) {
    if (b.getAttribute('aria-busy') === 'true') {
      return; // parley.js is sending this reader's own click
    }
    var k = b.getAttribute('data-kind');
    var c = b.querySelector('.count');
    if (c) {
      c.textContent = String(counts[k] || 0);
    }
    b.setAttribute('aria-pressed', p.my_reaction === k ? 'true' : 'false');
  });
}

// updateBody puts an edited post's new body and "edited" link in place.
export function updateBody(art, p) {
  var body = art.querySelector('.post-body');
  if (body && typeof p.html === 'string') {
    body.innerHTML = p.html; // sanitised by the server's renderer
  }
  var when = art.querySelector('.post-when');
  if (!when || !(p.edit_count > 0)) {
    return;
  }
  var old = when.querySelector('a.edited');
  if (old) {
    old.title = timeAgo(p.edited_at);
  } else {
    when.appendChild(document.createTextNode(' · '));
    when.appendChild(editedLink(p));
  }
}

function editedLink(p) {
  var a = link('/p/' + p.id + '/history', 'edited', 'edited');
  a.title = timeAgo(p.edited_at);
  return a;
}

// buildPost returns the <article> of post p shown on thread page page;
// canQuote adds the Quote link (the reader has a composer).
export function buildPost(p, page, canQuote) {
  var role = p.author && p.author.role;
  var official = isOfficial(role);
  var hidden = !p.deleted && !!p.hidden;
  var art = el('article', 'post' + (p.deleted ? ' is-deleted' : '') + (hidden ? ' is-hidden' : '') + (official ? ' is-official' : ''));
  art.id = 'p' + p.number;
  art.setAttribute('data-post-id', String(p.id));

  var head = el('header', 'post-meta');
  var name = (p.author && p.author.username) || '';
  head.appendChild(el('span', 'post-author')).appendChild(link('/u/' + encodeURIComponent(name), '', name));
  if (roleLabels[role]) {
    head.appendChild(el('span', 'role-badge role-' + role + (official ? ' role-official' : ''), roleLabels[role]));
  }
  if (official) {
    head.appendChild(el('span', 'official-badge', 'Official'));
  }
  var when = el('span', 'post-when');
  when.appendChild(timeEl(p.created_at));
  if (p.edit_count > 0) {
    when.appendChild(document.createTextNode(' · '));
    when.appendChild(editedLink(p));
  }
  head.appendChild(when);
  var perma = link('/p/' + p.id, 'permalink', '#' + p.number);
  perma.title = 'Link to this post';
  head.appendChild(perma);
  art.appendChild(head);

  if (p.deleted) {
    art.appendChild(el('p', 'deleted-note', 'This post was deleted.'));
    if (p.html) { // staff still see what was deleted
      art.appendChild(el('div', 'post-body is-dimmed')).innerHTML = p.html; // sanitised by the server's renderer
    }
    return art;
  }
  if (hidden) {
    art.appendChild(el('p', 'hidden-note', hiddenText));
    if (!p.html) {
      return art; // neither staff nor its author: nothing more to show
    }
  }
  art.appendChild(el('div', 'post-body' + (hidden ? ' is-dimmed' : ''))).innerHTML = p.html || ''; // sanitised by the server's renderer

  var foot = el('footer', 'post-actions');
  buildReactions(foot.appendChild(el('div', 'reactions')), p);
  var tools = foot.appendChild(el('div', 'post-tools'));
  if (canQuote) {
    var q = link('/t/' + p.thread_id + '?page=' + page + '&quote=' + p.id + '#composer', 'js-quote', 'Quote');
    q.setAttribute('data-post-id', String(p.id));
    tools.appendChild(q);
  }
  if (signedIn && !hidden && me.id > 0 && me.id !== (p.author && p.author.id)) {
    var flag = link('/p/' + p.id + '/flag', 'js-flag', 'Flag');
    flag.setAttribute('data-post-id', String(p.id));
    tools.appendChild(flag);
  }
  if (p.can_edit) {
    tools.appendChild(link('/p/' + p.id + '/edit', '', 'Edit'));
    var del = el('form', 'inline-form');
    del.method = 'post';
    del.action = '/p/' + p.id + '/delete';
    del.appendChild(hiddenInput('_csrf', csrf));
    var b = el('button', 'link-button danger js-confirm', 'Delete');
    b.type = 'submit';
    b.setAttribute('data-confirm', 'Delete this post?');
    del.appendChild(b);
    tools.appendChild(del);
  }
  art.appendChild(foot);
  return art;
}

var hiddenText = 'This post is hidden pending review.';

// markHidden shows a post as hidden in place to a reader who may not see
// it (neither staff nor its author).
export function markHidden(art) {
  if (art.classList.contains('is-hidden') || art.classList.contains('is-deleted')) {
    return;
  }
  art.classList.add('is-hidden');
  Array.prototype.forEach.call(art.querySelectorAll('.post-body, .post-actions'), function (x) {
    x.parentNode.removeChild(x);
  });
  art.appendChild(el('p', 'hidden-note', hiddenText));
}

// markDeleted shows a post as deleted in place, for when the API no longer
// returns it (deleted with its thread, or no longer visible).
export function markDeleted(art) {
  if (art.classList.contains('is-deleted')) {
    return;
  }
  art.classList.add('is-deleted');
  Array.prototype.forEach.call(art.querySelectorAll('.post-body, .post-actions'), function (x) {
    x.parentNode.removeChild(x);
  });
  art.appendChild(el('p', 'deleted-note', 'This post was deleted.'));
}
