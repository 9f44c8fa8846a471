/* A thread page, live: new replies (appended for a reader at the bottom,
   behind a "N new replies" bar for one who has scrolled up, only on the
   thread's last page), edits, reactions, deletions, lock and pin, typing
   and presence. */

import { el, getJSON, jitter, link, me, num, signedIn, smooth } from './dom.js';
import { buildPost, markDeleted, markHidden, updateBody, updateReactions } from './posts.js';
import { presenceView } from './presence.js';
import { threadState } from './thread-state.js';

export function threadView(posts) {
  var threadId = num(posts.getAttribute('data-thread'), 0);
  var page = num(posts.getAttribute('data-page'), 1);
  var pages = num(posts.getAttribute('data-pages'), 1);
  var perPage = num(posts.getAttribute('data-page-size'), 20);
  var thread = threadState();
  var people = presenceView(posts, threadId);

  var pending = {};  // number -> post, fetched but held behind the bar
  var wanted = {};   // number -> true while its post is being fetched
  var changes = {};  // post id -> {number, body, reactions, deleted}
  var changeTimer = 0;

  // The bar is a live region from the start, so that screen readers
  // announce "1 new reply" when it appears.
  var bar = el('div', 'live-bar');
  bar.setAttribute('aria-live', 'polite');
  var barButton = bar.appendChild(el('button', 'button live-bar-button'));
  barButton.type = 'button';
  barButton.hidden = true;
  var barLink = bar.appendChild(link('/t/' + threadId + '?page=' + (page + 1), 'button live-bar-button', 'New replies on the next page'));
  barLink.hidden = true;
  document.body.appendChild(bar);

  function article(number) {
    return document.getElementById('p' + number);
  }

  function articles() {
    return posts.querySelectorAll('article.post');
  }

  // numberOf finds a shown or held post by id (not every event carries the
  // post's number); 0 when it is not on this page.
  function numberOf(id) {
    var art = posts.querySelector('article.post[data-post-id="' + id + '"]');
    if (art) {
      return num(art.id.slice(1), 0);
    }
    var held = Object.keys(pending).filter(function (n) { return pending[n].id === id; })[0];
    return held ? num(held, 0) : 0;
  }

  function lastPage() {
    return page >= pages;
  }

  // atBottom: the last post shows, or the reader has scrolled past it.
  function atBottom() {
    var all = articles();
    var last = all[all.length - 1];
    return !last || last.getBoundingClientRect().top < window.innerHeight;
  }

  function canQuote() {
    return !!document.getElementById('composer');
  }

  // insert puts a post in number order; null if it is there already.
  function insert(p) {
    if (article(p.number)) {
      return null;
    }
    var art = buildPost(p, page, canQuote());
    art.classList.add('is-new');
    var before = Array.prototype.filter.call(articles(), function (a) {
      return num(a.id.slice(1), 0) > p.number;
    })[0] || null;
    return posts.insertBefore(art, before);
  }

  function pendingNumbers() {
    return Object.keys(pending).map(Number).sort(function (a, b) { return a - b; });
  }

  function updateBar() {
    var n = pendingNumbers().length;
    barButton.hidden = n === 0;
    barButton.textContent = n === 1 ? '1 new reply' : n + ' new replies';
  }

  // flush shows every held post, in order, and returns the first.
  function flush() {
    var first = null;
    pendingNumbers().forEach(function (n) {
      var art = insert(pending[n]);
      delete pending[n];
      first = first || art;
    });
    updateBar();
    return first;
  }

  barButton.addEventListener('click', function () {
    var first = flush();
    if (first) {
      first.setAttribute('tabindex', '-1');
      first.scrollIntoView({ block: 'start', behavior: smooth() });
      try { first.focus({ preventScroll: true }); } catch (e) { first.focus(); }
    }
  });

  // arrive places a fetched post that is not shown yet: at once for a
  // reader at the bottom, behind the bar for one who has scrolled up.
  function arrive(p) {
    people.stop(p.author && p.author.id);
    if (article(p.number)) {
      return;
    }
    pending[p.number] = p;
    if (atBottom()) {
      flush();
    } else {
      updateBar();
    }
  }

  // fromEvent returns the post a post.created or post.edited event
  // carries (data.post: what every reader sees, sent once for all of
  // them), completed with what depends on this reader as the API would
  // answer it; null when the event came without it (a big post, a thread
  // nobody watched when it was read), and the post is fetched instead.
  function fromEvent(d) {
    var p = d.post;
    if (!p || typeof p.html !== 'string' || p.thread_id !== threadId || p.number !== num(d.number, 0)) {
      return null;
    }
    p.deleted = false;     // the server sends no deleted post
    p.my_reaction = '';    // a new post has none; edits do not touch reactions
    p.can_edit = signedIn && me.id > 0 && (me.staff || (!!p.author && p.author.id === me.id));
    return p;
  }

  function created(d) {
    var n = num(d.number, 0);
    if (!n || article(n) || pending[n] || wanted[n]) {
      return; // shown already: a replay, or the page was rendered after it
    }
    if (n > page * perPage) {
      // A new page began: a reader of what was the last page is told.
      if (lastPage()) {
        barLink.hidden = false;
      }
      pages = Math.max(pages, Math.ceil(n / perPage));
      return;
    }
    if (!lastPage()) {
      return; // readers of earlier pages are not disturbed
    }
    var carried = fromEvent(d);
    if (carried) {
      arrive(carried);
      return;
    }
    wanted[n] = true;
    getJSON('/api/v1/posts/' + encodeURIComponent(d.post_id)).then(function (p) {
      delete wanted[n];
      if (p && p.thread_id === threadId && p.number === n) {
        arrive(p);
      }
    }, function () {
      delete wanted[n];
    });
  }

  // edited shows an edit that came with its post at once, without a
  // request; one without is fetched like any other change.
  function edited(d) {
    var p = fromEvent(d);
    if (!p) {
      changed(d, 'body');
      return;
    }
    if (pending[p.number]) {
      pending[p.number] = p;
      return;
    }
    var art = article(p.number);
    if (art && art.classList.contains('is-hidden')) {
      changed(d, 'body'); // what this reader may see of a hidden post is the server's call
    } else if (art && !art.classList.contains('is-deleted')) {
      // A deleted post stays deleted: a replayed edit is older than that.
      updateBody(art, p);
    }
  }

  // changed notes what happened to a post on this page and refreshes it a
  // moment later, so that a burst of reactions costs one request per post.
  function changed(d, what) {
    var id = num(d.post_id, 0);
    var n = numberOf(id);
    if (!n) {
      return;
    }
    var c = changes[id] || (changes[id] = { number: n });
    c[what] = true;
    if (!changeTimer) {
      changeTimer = setTimeout(refreshChanged, jitter(250));
    }
  }

  // reacted applies a reaction.changed event's counts: no request, even
  // when thousands watch the thread. The reader's own choice changes only
  // when the event is theirs (another tab, the API).
  function reacted(d) {
    var n = numberOf(num(d.post_id, 0));
    if (!n) {
      return;
    }
    var mine = d.user_id === me.id && me.id > 0;
    if (pending[n]) {
      pending[n].reactions = d.reactions;
      if (mine) {
        pending[n].my_reaction = d.to || '';
      }
      return;
    }
    var art = article(n);
    if (art) {
      var pressed = art.querySelector('.js-react[aria-pressed="true"]');
      var current = pressed ? pressed.getAttribute('data-kind') : '';
      updateReactions(art, { reactions: d.reactions, my_reaction: mine ? d.to || '' : current });
    }
  }

  // hiddenEvent: staff and the post's author (the event names them) still
  // see a hidden post, with a notice, so they fetch it; everyone else sees
  // the notice at once.
  function hiddenEvent(d) {
    var n = numberOf(num(d.post_id, 0));
    if (!n) {
      return;
    }
    if (me.staff || (me.id > 0 && num(d.author_id, 0) === me.id)) {
      changed(d, 'body');
      return;
    }
    delete pending[n];
    updateBar();
    if (article(n)) {
      markHidden(article(n));
    }
  }

  // gone shows post number n as deleted to a reader who may not see it.
  function gone(n) {
    if (!n) {
      return;
    }
    delete pending[n];
    updateBar();
    if (article(n)) {
      markDeleted(article(n));
    }
  }

  function refreshChanged() {
    changeTimer = 0;
    var batch = changes;
    changes = {};
    Object.keys(batch).forEach(function (id) {
      var c = batch[id];
      getJSON('/api/v1/posts/' + encodeURIComponent(id)).then(function (p) {
        if (p) {
          apply(p, c);
          return;
        }
        gone(c.number);
      }, function () { /* the next event or a reload brings it */ });
    });
  }

  // apply brings a shown (or held) post up to date with p.
  function apply(p, what) {
    if (pending[p.number]) {
      pending[p.number] = p;
      return;
    }
    var art = article(p.number);
    if (!art) {
      return;
    }
    var wasDeleted = art.classList.contains('is-deleted');
    var wasHidden = art.classList.contains('is-hidden');
    var hidden = !p.deleted && !!p.hidden;
    if (p.deleted !== wasDeleted || hidden !== wasHidden || ((p.deleted || hidden) && (what.body || what.deleted))) {
      var fresh = buildPost(p, page, canQuote());
      if (art.classList.contains('is-new')) {
        fresh.classList.add('is-new');
      }
      art.parentNode.replaceChild(fresh, art);
      return;
    }
    if (what.body) {
      updateBody(art, p);
    }
    if (what.reactions) {
      updateReactions(art, p);
    }
  }

  // resync reloads this page's posts and the thread's state through the
  // API: the events in between were too many or too old to replay.
  function resync() {
    getJSON('/api/v1/threads/' + threadId + '?page=' + page).then(function (tp) {
      if (!tp) {
        thread.deleted();
        return;
      }
      if (lastPage() && tp.pages > page) {
        barLink.hidden = false;
      }
      pages = Math.max(pages, tp.pages || 0);
      thread.apply(tp.thread || {});
      (tp.posts || []).forEach(function (p) {
        if (article(p.number)) {
          apply(p, { body: true, reactions: true });
        } else if (lastPage()) {
          arrive(p);
        }
      });
    }, function () { /* the next reconnect tries again */ });
  }

  return {
    event: function (type, d) {
      if (d.thread_id && d.thread_id !== threadId) {
        return;
      }
      switch (type) {
      case 'post.created':
        created(d);
        break;
      case 'post.edited':
        edited(d);
        break;
      case 'reaction.changed':
        if (d.reactions && typeof d.reactions === 'object') {
          reacted(d);
        } else {
          changed(d, 'reactions');
        }
        break;
      case 'post.deleted':
        if (d.thread_deleted) {
          thread.deleted();
        }
        if (me.staff) {
          changed(d, 'deleted'); // staff still see the text: fetch it
        } else {
          gone(numberOf(num(d.post_id, 0)));
        }
        break;
      case 'post.hidden':
        hiddenEvent(d);
        break;
      case 'post.unhidden':
        changed(d, 'body'); // rare: a moderator restores it; everyone fetches it once
        break;
      case 'thread.updated':
        thread.updated(d);
        break;
      }
    },
    resync: resync,
    typing: people.typing,
    presence: people.presence
  };
}
